package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"crossguard"
)

// demoAgreementTitle is the title of the cooperation agreement the demo
// runs.
const demoAgreementTitle = "Agreement on counter-narcotics and anti-smuggling cooperation along the Karakoram corridor"

// demoProgramme is the demo's cooperation agreement, for printing and for
// the script that plays the partner's side while the demo serves.
type demoProgramme struct {
	// agreement is headquarters' agreement, nil if the demo has none.
	agreement *crossguard.Agreement
	// today is the day the commitments' due dates were counted from when
	// the agreement was signed on this run, zero on a later run.
	today time.Time
}

// demoCommitment is a commitment of the demo's agreement and what its
// owner reports on it.
type demoCommitment struct {
	id, typ, owner, title, description string
	due                                int    // days from the day the demo writes the agreement; negative: past
	status                             string // the owner's report, "" for none
	note                               string
}

// demoCommitments are the commitments of the demo's agreement. The
// owners report on them from their own nodes: China Customs (Tashkurgan)
// held the exercise and the first course and is preparing the second;
// Pakistan Customs (headquarters) made its visit and set up the liaison
// line, and is late with the quarterly intelligence exchange, as China
// Customs is with the list of controlled precursors.
var demoCommitments = []demoCommitment{
	{"exercise-1", crossguard.CommitmentExercise, "cn-customs", "Joint exercise of border police and customs in the Khunjerab border region",
		"A three-day field exercise on both sides of the Khunjerab pass: controlled delivery of a marked consignment, radio handover, joint search of a truck.",
		-75, crossguard.StatusDone, "Held over three days at the Khunjerab pass; after-action report exchanged with Pakistan Customs."},
	{"training-1", crossguard.CommitmentTraining, "cn-customs", "Training of Pakistani border officers at the China Customs academy",
		"Two-week course for officers of the Sost dry port and the northern enforcement units on narcotics and precursor detection in road freight.",
		-45, crossguard.StatusDone, "Course completed; certificates issued to the officers who passed the practical examination."},
	{"training-2", crossguard.CommitmentTraining, "cn-customs", "Second course at the China Customs academy: risk profiling of road consignments",
		"Course on selectivity and risk profiles for road consignments, for the risk management officers of both posts.",
		75, crossguard.StatusInProgress, "Course dates agreed with the academy; Pakistan Customs is nominating 16 officers."},
	{"visit-1", crossguard.CommitmentVisit, "pk-customs", "Delegation visit of Pakistan Customs to the Khunjerab port and Kashgar",
		"Senior officers of Pakistan Customs visit the Khunjerab port and the Kashgar customs district to agree the programme's calendar.",
		-120, crossguard.StatusDone, "Visit made; the calendar of the exercise and the courses was agreed on the spot."},
	{"hotline", crossguard.CommitmentOther, "pk-customs", "24-hour liaison line between the Sost dry port and the Khunjerab port",
		"A staffed liaison line, tested weekly, for consignments and trucks in transit between the two ports.",
		-100, crossguard.StatusDone, "In service since the delegation visit; tested every Monday."},
	{"intel-q", crossguard.CommitmentIntelligenceExchange, "pk-customs", "Quarterly exchange of intelligence on narcotics and precursor routes",
		"A quarterly summary of the routes, concealments and companies seen on the Karakoram Highway, marked TLP:AMBER.",
		-10, crossguard.StatusInProgress, "Quarterly summary drafted; awaiting clearance for release at TLP:AMBER."},
	{"precursor-list", crossguard.CommitmentOther, "cn-customs", "Shared list of precursor chemicals under licence control on each side",
		"Each side's list of precursor chemicals whose export needs a licence, with their HS codes, for the risk profiles of both posts.",
		-30, "", ""},
	{"visit-2", crossguard.CommitmentVisit, "cn-customs", "Return visit of a China Customs delegation to Sost and Islamabad",
		"A China Customs delegation visits the Sost dry port and Pakistan Customs headquarters to review the first year of the programme.",
		120, "", ""},
}

// demoProgrammeMarking is the default marking of the agreement's records.
var demoProgrammeMarking = crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}

// demoAgreement returns the agreement headquarters writes on day today,
// signed some eight months before.
func demoAgreement(today time.Time) *crossguard.Agreement {
	a := &crossguard.Agreement{Title: demoAgreementTitle, Parties: []string{"pk-customs", "cn-customs"},
		SignedOn: demoDay(today, -240),
		Scope: crossguard.AgreementScope{Kinds: []string{crossguard.KindSeizure, crossguard.KindWarning, crossguard.KindFeedback,
			crossguard.KindOperation, crossguard.KindMessage, crossguard.KindAgreement, crossguard.KindProgress, crossguard.KindActivity},
			DefaultMarking: demoProgrammeMarking, RetentionDays: 5 * 365}}
	for _, c := range demoCommitments {
		a.Commitments = append(a.Commitments, crossguard.Commitment{ID: c.id, Type: c.typ, Title: c.title, Owner: c.owner,
			Due: demoDay(today, c.due), Description: c.description})
	}
	return a
}

// demoDay returns the day days after today, as YYYY-MM-DD.
func demoDay(today time.Time, days int) string {
	return today.AddDate(0, 0, days).Format(time.DateOnly)
}

// demoActivities returns the activities the owner agency records on the
// agreement signed on day today: a visit for Pakistan Customs; the
// exercise, the first course and the planned second course for China
// Customs. They give headcounts, units and titles, never names.
func demoActivities(agreementID string, today time.Time, owner string) []*crossguard.Activity {
	both := []string{"pk-customs", "cn-customs"}
	act := func(typ, commitment, title, place string, from, to int, status, outcome string) *crossguard.Activity {
		return &crossguard.Activity{Type: typ, Agreement: agreementID, Commitment: commitment, Title: title, Place: place,
			StartsOn: demoDay(today, from), EndsOn: demoDay(today, to), Agencies: both, Status: status, Outcome: outcome}
	}
	if owner == "pk-customs" {
		v := act(crossguard.ActivityVisit, "visit-1", "Pakistan Customs delegation to the Khunjerab port and Kashgar",
			"Khunjerab Port (Tashkurgan) and Kashgar", -130, -127, crossguard.StatusDone,
			"Programme calendar agreed; liaison line numbers exchanged; scanner sites of both ports compared.")
		v.Headcounts = map[string]int{"pk-customs": 6, "cn-customs": 4}
		v.Visit = &crossguard.Visit{DelegationSize: 6, LeadTitle: "Chief Collector of Customs (Enforcement), North",
			Itinerary: []string{"Sost dry port", "Khunjerab Port inspection area, Tashkurgan", "Kashgar customs district office", "Kashgar land port scanning site"}}
		return []*crossguard.Activity{v}
	}
	ex := act(crossguard.ActivityExercise, "exercise-1", "Joint border exercise \"Khunjerab Shield\"",
		"Khunjerab pass border area, Tashkurgan County and Sost", -82, -80, crossguard.StatusDone,
		"Marked consignment traced from Sost to the Khunjerab port; radio handover tested in both languages; scanner images shared within 20 minutes.")
	ex.Units = []string{"Khunjerab Port customs anti-smuggling section", "Tashkurgan border police, Khunjerab station",
		"Pakistan Customs enforcement unit, Sost dry port", "Pakistan Customs canine unit"}
	ex.Headcounts = map[string]int{"cn-customs": 42, "pk-customs": 18}
	course := func(commitment, title string, from, to int, status, outcome string, t crossguard.Training, heads int) *crossguard.Activity {
		a := act(crossguard.ActivityTraining, commitment, title, "China Customs academy, Shanghai", from, to, status, outcome)
		a.Units = []string{"Pakistan Customs enforcement unit, Sost dry port", "Pakistan Customs intelligence branch, Islamabad"}
		a.Headcounts = map[string]int{"pk-customs": heads, "cn-customs": 5}
		a.Training = &t
		return a
	}
	return []*crossguard.Activity{ex,
		course("training-1", "Narcotics and precursor detection in road freight", -60, -49, crossguard.StatusDone,
			"19 of 20 officers certified; one resits the practical examination.",
			crossguard.Training{Course: "Detection of narcotics and precursor chemicals in road freight", Hours: 80, Certified: 19}, 20),
		course("training-2", "Risk profiling of road consignments", 40, 49, crossguard.StatusPlanned, "",
			crossguard.Training{Course: "Risk profiling and selectivity for road consignments", Hours: 60}, 16),
	}
}

// setUpDemoProgramme finds headquarters' agreement or, if it has none,
// writes it, reports on headquarters' own commitments and records its
// visit. Tashkurgan's side is played once it holds the agreement (see
// playDemoProgramme).
func setUpDemoProgramme(ctx context.Context, cfg *Config, nodes []*demoNode) (*demoProgramme, error) {
	hq := nodes[0]
	r := &demoProgramme{}
	a, err := findDemoAgreement(ctx, hq)
	if err != nil || a != nil {
		r.agreement = a
		return r, err
	}
	r.today = hq.Node.Core.Clock.Now().UTC().Truncate(24 * time.Hour)
	v, err := hq.Node.Cooperation.CreateAgreement(ctx, "demo", demoAgreement(r.today))
	if err != nil {
		return nil, fmt.Errorf("write the agreement at %s: %w", hq.Dir.Info.ID, err)
	}
	r.agreement = v.Agreement
	reported, _, err := reportDemoProgramme(ctx, hq, r)
	if err != nil {
		return nil, fmt.Errorf("agreement %s at %s: %w", r.agreement.ID, hq.Dir.Info.ID, err)
	}
	fmt.Fprintf(cfg.Stdout, "Wrote the cooperation agreement with China Customs at %s (%d commitments), reported on %d of its own and recorded its delegation visit.\n",
		hq.Dir.Info.ID, len(r.agreement.Commitments), reported)
	return r, nil
}

// reportDemoProgramme reports, at node n, on the commitments of n's
// agency and records its activities; it returns how many of each.
func reportDemoProgramme(ctx context.Context, n *demoNode, r *demoProgramme) (reports, activities int, err error) {
	agency := n.Dir.Info.Agency
	for _, c := range demoCommitments {
		if c.owner != agency || c.status == "" {
			continue
		}
		if _, err := n.Node.Cooperation.ReportProgress(ctx, "demo", r.agreement.ID, &crossguard.Progress{Commitment: c.id, Status: c.status, Note: c.note}); err != nil {
			return reports, activities, fmt.Errorf("report on %s: %w", c.id, err)
		}
		reports++
	}
	for _, a := range demoActivities(r.agreement.ID, r.today, agency) {
		if _, err := n.Node.Cooperation.CreateActivity(ctx, "demo", a); err != nil {
			return reports, activities, fmt.Errorf("record activity %q: %w", a.Title, err)
		}
		activities++
	}
	return reports, activities, nil
}

// findDemoAgreement returns headquarters' latest agreement of the demo's
// title, or nil.
func findDemoAgreement(ctx context.Context, hq *demoNode) (*crossguard.Agreement, error) {
	return findLatestOwn(ctx, hq, crossguard.KindAgreement,
		func(a *crossguard.Agreement) *crossguard.Header { return &a.Header },
		func(a *crossguard.Agreement) bool { return a.Title == demoAgreementTitle })
}

// findLatestOwn returns the latest record of a kind that n wrote and that
// match accepts, or nil; header gives a decoded record's header.
func findLatestOwn[T any](ctx context.Context, n *demoNode, kind string, header func(*T) *crossguard.Header, match func(*T) bool) (*T, error) {
	recs, err := n.Node.Store.RecordsOfKind(ctx, kind)
	if err != nil {
		return nil, fmt.Errorf("list %s records at %s: %w", kind, n.Dir.Info.ID, err)
	}
	var found *T
	for _, rec := range recs {
		v := new(T)
		if err := json.Unmarshal(rec.Body, v); err != nil {
			return nil, fmt.Errorf("decode %s %s: %w", kind, rec.ID, err)
		}
		h := header(v)
		if h.Origin == n.Dir.Info.ID && match(v) && (found == nil || h.CreatedAt.After(header(found).CreatedAt)) {
			found = v
		}
	}
	return found, nil
}

// playDemoProgramme plays China Customs' side of the agreement written on
// this run: once Tashkurgan holds it, it reports on the commitments of
// its agency and records the exercise and the courses.
func playDemoProgramme(ctx context.Context, cfg *Config, nodes []*demoNode, r *demoProgramme) {
	cn := nodes[2]
	if !waitForRecords(ctx, cn, r.agreement.ID) {
		return
	}
	reported, recorded, err := reportDemoProgramme(ctx, cn, r)
	if err != nil {
		if ctx.Err() == nil {
			fmt.Fprintf(cfg.Stderr, "demo: agreement %s at %s: %v\n", r.agreement.ID, cn.Dir.Info.ID, err)
		}
		return
	}
	fmt.Fprintf(cfg.Stdout, "%s reported on %d commitments of China Customs (exercise and first course done, second course in progress) and recorded %d activities.\n",
		cn.Dir.Info.ID, reported, recorded)
}

// printDemoProgramme prints the agreement and the requests for its
// status and calendar.
func printDemoProgramme(w io.Writer, nodes []*demoNode, r *demoProgramme) {
	a := r.agreement
	if a == nil {
		return
	}
	hq := nodes[0]
	fmt.Fprintf(w, "\nCooperation agreement of %s, signed %s (TLP:%s)\n  %q\n  id          %s\n",
		strings.Join(a.Parties, " and "), a.SignedOn, strings.ToUpper(a.Marking.TLP), a.Title, a.ID)
	if !r.today.IsZero() {
		fmt.Fprintf(w, "  %d commitments: each agency reports on its own from its node (Tashkurgan once the agreement\n"+
			"  arrives). Exercise, first course, visit and liaison line done; second course in progress;\n"+
			"  the intelligence exchange and the precursor list overdue; the return visit planned.\n", len(a.Commitments))
	}
	for _, i := range []int{0, 2} {
		n := nodes[i]
		fmt.Fprintf(w, "  agreement   curl -H 'Authorization: Bearer %s' 'http://%s/api/v1/agreements/%s'   (%s)\n",
			n.tokens["demo-analyst"], n.api.Addr(), a.ID, n.Dir.Info.ID)
	}
	fmt.Fprintf(w, "  calendar    curl -H 'Authorization: Bearer %s' 'http://%s/api/v1/activities.ics'\n",
		hq.tokens["demo-analyst"], hq.api.Addr())
	fmt.Fprintf(w, "  status      go run ./cmd/crossguard agreement status %s --data %s\n", a.ID, hq.Dir.Path)
	fmt.Fprintf(w, "  Both agencies see the same statuses, overdue first, once the nodes have synced.\n")
}
