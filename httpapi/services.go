package httpapi

import (
	"context"
	"time"

	"crossguard"
	"crossguard/node"
)

// Services are what the API serves, each declared here by what its
// handlers use: node.Sharing gives Seizures and Peers, node.Cooperation
// gives Cooperation, node.Targeting gives Targeting, node.Admin gives
// Users, and the store gives the audit log, the health check and the
// figures of /metrics.
type Services struct {
	// Info is the identity of the node the API serves.
	Info crossguard.NodeInfo
	// Clock dates the audit entries of refused requests and the status of
	// operations.
	Clock crossguard.Clock
	// Seizures, Peers, Cooperation, Targeting and Users give the handlers
	// their records and rules.
	Seizures    Seizures
	Peers       Peers
	Cooperation Cooperation
	Targeting   Targeting
	Users       Users
	// Audit is the audit log the audit endpoints list and verify and to
	// which refused requests are appended.
	Audit crossguard.AuditStore
	// Health answers /healthz: it is up if it reads the node's identity.
	Health Health
	// Metrics, when set, gives /metrics the figures kept in the store.
	Metrics MetricsStore
}

// Seizures are the seizure, version and annotation endpoints' records.
type Seizures interface {
	CreateSeizure(ctx context.Context, actor string, s *crossguard.Seizure) (*crossguard.Seizure, error)
	Seizure(ctx context.Context, actor, id string) (*crossguard.Seizure, error)
	ListSeizures(ctx context.Context, actor string, f crossguard.SeizureFilter) (*crossguard.SeizurePage, error)
	UpdateSeizure(ctx context.Context, actor, id string, ifVersion int64, s *crossguard.Seizure) (*crossguard.Seizure, error)
	DeleteSeizure(ctx context.Context, actor, id string, ifVersion int64) error
	Annotate(ctx context.Context, actor, targetID string, a *crossguard.Annotation) (*crossguard.Annotation, error)
	Annotations(ctx context.Context, actor, targetID string) ([]*crossguard.Annotation, error)
}

// Peers are the peer endpoints' peers and sharing policies.
type Peers interface {
	PutPeer(ctx context.Context, actor string, p *crossguard.Peer) (*crossguard.Peer, error)
	Peer(ctx context.Context, id string) (*crossguard.Peer, error)
	Peers(ctx context.Context) ([]*crossguard.Peer, error)
	RemovePeer(ctx context.Context, actor, id string) error
	AckPeerRefusals(ctx context.Context, actor, id string) (*crossguard.PeerRefusal, error)
	PurgePeer(ctx context.Context, actor, id string, progress func(crossguard.SourcePurge)) (crossguard.SourcePurge, error)
}

// Cooperation is what the operation, warning, agreement and activity
// endpoints serve.
type Cooperation interface {
	CreateOperation(ctx context.Context, actor string, op *crossguard.Operation) (*crossguard.Operation, error)
	Operations(ctx context.Context, actor string) ([]*crossguard.Operation, error)
	Operation(ctx context.Context, actor, id string) (*crossguard.Operation, error)
	CreateMessage(ctx context.Context, actor, opID string, m *crossguard.Message) (*crossguard.Message, error)
	Messages(ctx context.Context, actor, opID string) ([]*crossguard.Message, error)
	OperationReport(ctx context.Context, actor, opID string) (*node.OperationReport, error)
	CreateWarning(ctx context.Context, actor, opID string, w *crossguard.Warning) (*crossguard.Warning, error)
	WithdrawWarning(ctx context.Context, actor, id string) error
	Warning(ctx context.Context, actor, id string) (*crossguard.Warning, error)
	Warnings(ctx context.Context, actor, opID string) ([]*crossguard.Warning, error)
	CreateFeedback(ctx context.Context, actor, warningID string, f *crossguard.Feedback) (*crossguard.Feedback, error)
	FeedbackOn(ctx context.Context, actor, warningID string) ([]*crossguard.Feedback, error)
	CreateAgreement(ctx context.Context, actor string, a *crossguard.Agreement) (*node.AgreementView, error)
	UpdateAgreement(ctx context.Context, actor, id string, ifVersion int64, a *crossguard.Agreement) (*node.AgreementView, error)
	Agreement(ctx context.Context, actor, id string) (*node.AgreementView, error)
	Agreements(ctx context.Context, actor string) ([]*node.AgreementView, error)
	ReportProgress(ctx context.Context, actor, agreementID string, p *crossguard.Progress) (*crossguard.Progress, error)
	CreateActivity(ctx context.Context, actor string, a *crossguard.Activity) (*crossguard.Activity, error)
	Activity(ctx context.Context, actor, id string) (*crossguard.Activity, error)
	Activities(ctx context.Context, actor, agreement string) ([]*crossguard.Activity, error)
}

// Targeting is what the declaration, profile, watch-list and model
// endpoints serve.
type Targeting interface {
	Decide(ctx context.Context, actor string, ds []*crossguard.Declaration) ([]*crossguard.Decision, error)
	DeclarationEntry(ctx context.Context, id string) (*crossguard.DeclarationEntry, error)
	RecordInspection(ctx context.Context, actor string, in *crossguard.Inspection) (*crossguard.Inspection, error)
	RiskStats(ctx context.Context, from, to time.Time) (*crossguard.RiskStats, error)
	CreateProfile(ctx context.Context, actor string, p *crossguard.Profile) (*node.ProfileView, error)
	UpdateProfile(ctx context.Context, actor, id string, ifVersion int64, p *crossguard.Profile) (*node.ProfileView, error)
	DeleteProfile(ctx context.Context, actor, id string, ifVersion int64) error
	Profile(ctx context.Context, actor, id string) (*node.ProfileView, error)
	Profiles(ctx context.Context, actor string) ([]*node.ProfileView, error)
	SetProfileState(ctx context.Context, actor, id, state string) (*node.ProfileView, error)
	AddWatch(ctx context.Context, actor string, w *crossguard.WatchEntry) (*crossguard.WatchEntry, error)
	RemoveWatch(ctx context.Context, actor, id string) error
	Watchlist(ctx context.Context) ([]*crossguard.WatchEntry, error)
	TrainModel(ctx context.Context, actor string, seed int64) (*crossguard.ModelInfo, error)
	ImportModel(ctx context.Context, actor string, file []byte, notes string) (*crossguard.ModelInfo, error)
	Models(ctx context.Context) ([]*crossguard.ModelInfo, error)
	ActivateModel(ctx context.Context, actor string, version int64) (*crossguard.ModelInfo, error)
}

// Users authenticates API tokens and lists the node's users.
type Users interface {
	Authenticate(ctx context.Context, token, addr string) (*crossguard.User, error)
	Users(ctx context.Context) ([]*crossguard.User, error)
}

// Health is what /healthz asks of the database: a cheap read.
type Health interface {
	Node(ctx context.Context) (*crossguard.NodeInfo, error)
}
