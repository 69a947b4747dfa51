package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"crossguard"
	"crossguard/node"
)

// TargetingQueue is what the declaration queue and the profile editor
// need beyond the rest of Targeting. node.Targeting implements it.
type TargetingQueue interface {
	// RecentDecisions returns a page of the declaration queue.
	RecentDecisions(ctx context.Context, f crossguard.DecisionFilter) (*crossguard.DecisionPage, error)
	// PreviewProfile checks a draft profile and counts how many of the
	// last n declarations it would have selected.
	PreviewProfile(ctx context.Context, p *crossguard.Profile, n int) (*node.ProfilePreview, error)
	// Profile returns one profile with its state and statistics.
	Profile(ctx context.Context, actor, id string) (*node.ProfileView, error)
	// CreateProfile validates and stores a new profile of this node.
	CreateProfile(ctx context.Context, actor string, p *crossguard.Profile) (*node.ProfileView, error)
	// UpdateProfile replaces this node's profile id, last seen at
	// ifVersion.
	UpdateProfile(ctx context.Context, actor, id string, ifVersion int64, p *crossguard.Profile) (*node.ProfileView, error)
}

// queuePageSize is how many declarations one page of the queue shows.
const queuePageSize = 25

// queueRow is one decided declaration of the queue.
type queueRow struct {
	ID, Href              string
	Crossing, DecidedAt   string
	Channel, ChannelLabel string
	Reasons               []reasonRow
	Inspected             bool
	Result                string
}

// queueTab is one channel tab of the queue.
type queueTab struct {
	Label, Href string
	Current     bool
}

// queueView is the declaration queue of the targeting page: its filter,
// one page of decided declarations and the links to the next page and
// back to the first.
type queueView struct {
	Tabs        []queueTab
	Channel     string
	Crossing    fieldInput
	Uninspected bool
	From, To    string
	Rows        []queueRow
	NextHref    string
	FirstHref   string
	Error       string
}

// queueLink returns the targeting page's address showing the queue with
// these filters (and the statistics period the page had).
func queueLink(q url.Values, channel, crossing string, uninspected bool, cursor string) string {
	v := url.Values{}
	for _, k := range []string{"from", "to"} {
		if x := q.Get(k); x != "" {
			v.Set(k, x)
		}
	}
	if channel != "" {
		v.Set("channel", channel)
	}
	if crossing != "" {
		v.Set("crossing", crossing)
	}
	if uninspected {
		v.Set("uninspected", "1")
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	if len(v) == 0 {
		return "/targeting#queue"
	}
	return "/targeting?" + v.Encode() + "#queue"
}

// declarationQueue reads the queue that r's query asks for. A filter the
// store refuses (an unknown channel, a cursor it did not make) is shown
// as an error above an empty queue, and reported as invalid.
func (s *server) declarationQueue(r *http.Request, tr *Translator) (*queueView, bool, error) {
	q := r.URL.Query()
	v := &queueView{
		Channel:     q.Get("channel"),
		Crossing:    fieldInput{Value: strings.TrimSpace(q.Get("crossing"))},
		Uninspected: q.Get("uninspected") == "1",
		From:        q.Get("from"),
		To:          q.Get("to"),
	}
	tabs := append([]string{""}, crossguard.Channels...)
	for _, c := range tabs {
		label := tr.T("queue.all")
		if c != "" {
			label = tr.T("channel." + c)
		}
		v.Tabs = append(v.Tabs, queueTab{Label: label, Current: c == v.Channel,
			Href: queueLink(q, c, v.Crossing.Value, v.Uninspected, "")})
	}
	cursor := q.Get("cursor")
	if cursor != "" {
		v.FirstHref = queueLink(q, v.Channel, v.Crossing.Value, v.Uninspected, "")
	}
	page, err := s.targeting.RecentDecisions(r.Context(), crossguard.DecisionFilter{
		Channel: v.Channel, Crossing: v.Crossing.Value, Uninspected: v.Uninspected,
		Limit: queuePageSize, Cursor: cursor,
	})
	if crossguard.ErrorCode(err) == crossguard.EINVALID {
		v.Error = tr.T("queue.error.filter")
		for _, f := range crossguard.ErrorFields(err) {
			if f.Field == "crossing" {
				v.Crossing.Error = tr.T("queue.error.crossing")
			}
		}
		return v, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("declaration queue: %w", err)
	}
	for _, e := range page.Items {
		dec := e.Decision
		id := string(e.Declaration.DeclarationID)
		row := queueRow{ID: id, Href: "/declarations/" + pathEscape(id),
			Crossing: dec.Crossing, DecidedAt: tr.DateTime(dec.DecidedAt),
			Channel: dec.Channel, ChannelLabel: tr.T("channel." + dec.Channel),
			Reasons: reasonRows(tr, dec.Reasons)}
		if in := e.Inspection; in != nil {
			row.Inspected, row.Result = true, tr.T("result."+in.Result)
		}
		v.Rows = append(v.Rows, row)
	}
	if page.NextCursor != "" {
		v.NextHref = queueLink(q, v.Channel, v.Crossing.Value, v.Uninspected, page.NextCursor)
	}
	return v, true, nil
}
