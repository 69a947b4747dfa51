package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"crossguard"
	"crossguard/node"
)

// Cooperation gives the joint operation and cooperation programme pages
// their data. node.Cooperation implements it; reads of other nodes' records
// are audited by the node under the signed-in person's name.
type Cooperation interface {
	// Operations lists the joint operations the node holds.
	Operations(ctx context.Context, actor string) ([]*crossguard.Operation, error)
	// Operation returns a held operation, or an error with code ENOTFOUND.
	Operation(ctx context.Context, actor, id string) (*crossguard.Operation, error)
	// Warnings lists the live warnings of an operation.
	Warnings(ctx context.Context, actor, opID string) ([]*crossguard.Warning, error)
	// FeedbackOn lists the feedback on a warning.
	FeedbackOn(ctx context.Context, actor, warningID string) ([]*crossguard.Feedback, error)
	// Messages lists the coordination messages of an operation.
	Messages(ctx context.Context, actor, opID string) ([]*crossguard.Message, error)
	// OperationReport sums up an operation from the records held.
	OperationReport(ctx context.Context, actor, opID string) (*node.OperationReport, error)
	// Agreements lists the agreements held, with merged commitment states.
	Agreements(ctx context.Context, actor string) ([]*node.AgreementView, error)
	// Agreement returns a held agreement, or an error with code ENOTFOUND.
	Agreement(ctx context.Context, actor, id string) (*node.AgreementView, error)
	// Activities lists the activities held by start date; with agreement
	// not empty, only that agreement's.
	Activities(ctx context.Context, actor, agreement string) ([]*crossguard.Activity, error)
	// CreateWarning validates and sends a warning to the participants of
	// an operation.
	CreateWarning(ctx context.Context, actor, opID string, w *crossguard.Warning) (*crossguard.Warning, error)
	// Warning returns a held warning, or an error with code ENOTFOUND.
	Warning(ctx context.Context, actor, id string) (*crossguard.Warning, error)
	// CreateFeedback validates and sends this node's answer to a warning;
	// a linked seizure must be one of the node's own.
	CreateFeedback(ctx context.Context, actor, warningID string, f *crossguard.Feedback) (*crossguard.Feedback, error)
	// CreateMessage validates and sends a coordination message to the
	// participants of an operation.
	CreateMessage(ctx context.Context, actor, opID string, m *crossguard.Message) (*crossguard.Message, error)
}

// cooperationPages are the page templates of the cooperation pages.
var cooperationPages = []string{"operations", "operation", "agreements", "agreement", "activities"}

// init adds the cooperation pages to the pages parsePages loads.
func init() { pageNames = append(pageNames, cooperationPages...) }

// cooperationRoutes adds the operation and programme pages to mux.
func (s *server) cooperationRoutes(mux *http.ServeMux) {
	mux.Handle("GET /operations", s.handle(s.operationList))
	mux.Handle("GET /operations/{id}", s.handle(s.operationDetail))
	mux.Handle("POST /operations/{id}/warnings", s.handle(s.createWarning))
	mux.Handle("POST /operations/{id}/warnings/{wid}/feedback", s.handle(s.createFeedback))
	mux.Handle("POST /operations/{id}/messages", s.handle(s.createMessage))
	mux.Handle("GET /agreements", s.handle(s.agreementList))
	mux.Handle("GET /agreements/{id}", s.handle(s.agreementDetail))
	mux.Handle("GET /activities", s.handle(s.activityList))
}

// operationRow is one operation of the list.
type operationRow struct {
	Href, Name, Status, StatusLabel, Badge, Period, Participants string
}

// operationRowOf writes out an operation for the list and the detail page.
func (s *server) operationRowOf(tr *Translator, op *crossguard.Operation) operationRow {
	st := op.Status(s.now())
	return operationRow{
		Href: "/operations/" + pathEscape(op.ID), Name: op.Name,
		Status: st, StatusLabel: tr.T("ops.status." + st), Badge: statusBadge[st],
		Period:       tr.T("ops.period", tr.DateTime(op.StartsAt), tr.DateTime(op.EndsAt)),
		Participants: strings.Join(op.Participants, ", "),
	}
}

// operationList shows the joint operations the node holds.
func (s *server) operationList(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	p := s.newPage(r, sess, "ops.title")
	ops, err := s.cooperation.Operations(r.Context(), sess.Username)
	if err != nil {
		return fmt.Errorf("list operations: %w", err)
	}
	rows := make([]operationRow, 0, len(ops))
	for _, op := range ops {
		rows = append(rows, s.operationRowOf(p.tr, op))
	}
	p.Data = rows
	return s.render(w, http.StatusOK, "operations", p)
}

// statusBadge maps a status to the colour class of its badge.
var statusBadge = map[string]string{
	crossguard.OperationRunning: "tlp-amber", crossguard.OperationEnded: "tlp-clear",
	crossguard.StatusOverdue: "tlp-red", crossguard.StatusInProgress: "tlp-amber",
	crossguard.StatusDone: "tlp-green", crossguard.StatusCancelled: "tlp-clear",
	crossguard.StatusPlanned: "tlp-clear",
}
