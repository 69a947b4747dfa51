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

// Admin gives the administration and audit pages their data. NodeAdmin
// implements it over a node's services; the web package checks the
// signed-in person's permissions before each page.
type Admin interface {
	PeerAdmin
	UserAdmin
}

// PeerAdmin gives the peers page its data; node.Sharing implements it.
type PeerAdmin interface {
	// Peers lists the peers with their sharing policy and status.
	Peers(ctx context.Context) ([]*crossguard.Peer, error)
	// AckPeerRefusals records that the administrator actor has seen the
	// refusals from peer id, clearing its last refusal, and returns what
	// was acknowledged (nil if nothing); ENOTFOUND if id is no peer.
	AckPeerRefusals(ctx context.Context, actor, id string) (*crossguard.PeerRefusal, error)
}

// UserAdmin gives the users and audit pages their data; node.Admin
// implements it.
type UserAdmin interface {
	// Users lists the users of the node, revoked ones included.
	Users(ctx context.Context) ([]*crossguard.User, error)
	// ListAudit returns one page of audit entries matching f, newest
	// first.
	ListAudit(ctx context.Context, f crossguard.AuditFilter) (*crossguard.AuditPage, error)
	// VerifyAudit walks the whole audit chain and returns how many entries
	// verified, or an *crossguard.AuditBreak naming the first broken one.
	VerifyAudit(ctx context.Context) (int64, error)
}

// NodeAdmin is the Admin of a node: the peers of its sharing service and
// the users and audit log of its administration service.
type NodeAdmin struct {
	PeerAdmin
	UserAdmin
}

var (
	_ Admin     = NodeAdmin{}
	_ PeerAdmin = (*node.Sharing)(nil)
	_ UserAdmin = (*node.Admin)(nil)
)

// adminPages are the page templates of the administration and audit
// pages.
var adminPages = []string{"admin_peers", "admin_users", "audit", "audit_verify"}

// init adds the administration pages to the pages parsePages loads.
func init() { pageNames = append(pageNames, adminPages...) }

// adminRoutes adds the administration and audit pages to mux.
func (s *server) adminRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/peers", s.handle(s.adminPeers))
	mux.Handle("POST /admin/peers/ack", s.handle(s.adminPeerAck))
	mux.Handle("GET /admin/users", s.handle(s.adminUsers))
	mux.Handle("GET /audit", s.handle(s.auditList))
	mux.Handle("POST /audit/verify", s.handle(s.auditVerify))
}

// requireRole returns the session of a signed-in person holding perm, for
// a page that changes nothing; nil after a redirect to the sign-in form.
func (s *server) requireRole(w http.ResponseWriter, r *http.Request, perm string) (*Session, error) {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return nil, err
	}
	if !crossguard.Can(sess.Role, perm) {
		return nil, errNoPermission
	}
	return sess, nil
}

// peerRow is one peer as the peers page shows it.
type peerRow struct {
	Name, ID, Relationship, Kinds, MaxTLP string
	OriginOnly                            bool
	Exchange, Behind, Counts, Served      string
	Error, ErrorAt                        string
	// Withdrawals counts the withdrawals both ways; Refusal says what the
	// last refusal not yet acknowledged was ("" if none), and
	// RefusalRecord which record it named ("" if none).
	Withdrawals, Refusal, RefusalRecord string
}

// peersPage is the data of the peers page: the peers, and the peer whose
// refusals were just acknowledged, if any.
type peersPage struct {
	Peers []peerRow
	Acked string
}

// adminPeers lists the peers with their policy and the state of the
// exchange with each, in words.
func (s *server) adminPeers(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireRole(w, r, crossguard.PermAdmin)
	if sess == nil || err != nil {
		return err
	}
	peers, err := s.admin.Peers(r.Context())
	if err != nil {
		return fmt.Errorf("list peers: %w", err)
	}
	p := s.newPage(r, sess, "admin.peers.title")
	tr := p.tr
	rows := make([]peerRow, 0, len(peers))
	for _, pe := range peers {
		st := pe.Status
		row := peerRow{Name: pe.Card.Name, ID: pe.Card.ID, MaxTLP: pe.MaxTLP, OriginOnly: pe.OriginOnly,
			Relationship: tr.T("admin.peers.rel." + pe.Relationship),
			Kinds:        tr.T("admin.peers.kinds.none"),
			Exchange:     tr.T("admin.peers.never"),
			Served:       tr.T("admin.peers.served.never"),
			Behind:       tr.T("admin.peers.behind", tr.Number(st.Behind())),
			Counts:       tr.T("admin.peers.counts", tr.Number(st.Received), tr.Number(st.Refused), tr.Number(st.Sent)),
			Error:        st.LastError,
		}
		if len(pe.Kinds) > 0 {
			row.Kinds = strings.Join(pe.Kinds, ", ")
		}
		if st.LastExchange != nil {
			row.Exchange = tr.T("admin.peers.exchange", tr.DateTime(*st.LastExchange))
		}
		if st.LastServed != nil {
			row.Served = tr.T("admin.peers.served", tr.DateTime(*st.LastServed))
		}
		if st.LastErrorAt != nil {
			row.ErrorAt = tr.DateTime(*st.LastErrorAt)
		}
		row.Withdrawals = tr.T("peerrefusals.withdrawals", tr.Number(st.WithdrawalsReceived), tr.Number(st.WithdrawalsSent))
		if rf := st.LastRefusal; rf != nil {
			row.Refusal = tr.T("peerrefusals.text", tr.Number(rf.Unacknowledged), tr.DateTime(rf.At), rf.Reason)
			if rf.ID != "" {
				row.RefusalRecord = tr.T("peerrefusals.record", rf.Kind, rf.ID, rf.Origin)
			}
		}
		rows = append(rows, row)
	}
	p.Data = peersPage{Peers: rows, Acked: r.URL.Query().Get("acked")}
	return s.render(w, http.StatusOK, "admin_peers", p)
}

// adminPeerAck records that the administrator has seen the refusals from
// the peer named by the form, then shows the peers again.
func (s *server) adminPeerAck(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requirePermission(w, r, crossguard.PermAdmin)
	if sess == nil || err != nil {
		return err
	}
	id := r.PostFormValue("peer")
	if _, err := s.admin.AckPeerRefusals(r.Context(), sess.Username, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/peers?"+url.Values{"acked": {id}}.Encode(), http.StatusSeeOther)
	return nil
}

// userRow is one user as the users page shows it.
type userRow struct {
	Name, Role, Created, Revoked string
}

// adminUsers lists the users with their roles, revoked ones marked.
func (s *server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireRole(w, r, crossguard.PermAdmin)
	if sess == nil || err != nil {
		return err
	}
	users, err := s.admin.Users(r.Context())
	if err != nil {
		return fmt.Errorf("list users: %w", err)
	}
	p := s.newPage(r, sess, "admin.users.title")
	tr := p.tr
	rows := make([]userRow, 0, len(users))
	for _, u := range users {
		row := userRow{Name: u.Name, Role: tr.T("role." + u.Role), Created: tr.Date(u.CreatedAt)}
		if u.RevokedAt != nil {
			row.Revoked = tr.T("admin.users.revoked", tr.Date(*u.RevokedAt))
		}
		rows = append(rows, row)
	}
	p.Data = rows
	return s.render(w, http.StatusOK, "admin_users", p)
}
