package node

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"crossguard"
	"crossguard/risk/profiles"
)

// ProfileView is a profile as this node sees it: the shared record, its
// local state (active, inactive until adopted, or disabled) and its hit
// statistics over every decision made so far.
type ProfileView struct {
	*crossguard.Profile
	State string                `json:"state"`
	Stats *crossguard.RateStats `json:"stats"`
}

// decodeProfile decodes a record of kind profile.
func decodeProfile(r *crossguard.Record) (*crossguard.Profile, error) {
	if r.Kind != crossguard.KindProfile {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "record %s is a %s, not a profile", r.ID, r.Kind)
	}
	var p crossguard.Profile
	if err := json.Unmarshal(r.Body, &p); err != nil {
		return nil, fmt.Errorf("decode profile %s: %w", r.ID, err)
	}
	return &p, nil
}

// loadProfiles returns every live profile, own and received.
func (tg *Targeting) loadProfiles(ctx context.Context) ([]*crossguard.Profile, error) {
	recs, err := tg.store.RecordsOfKind(ctx, crossguard.KindProfile)
	if err != nil {
		return nil, fmt.Errorf("load profiles: %w", err)
	}
	out := make([]*crossguard.Profile, 0, len(recs))
	for _, r := range recs {
		p, err := decodeProfile(r)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// profileState is a profile's local state: the one set, or active for
// profiles of this node's own agency (its own, and those of its
// headquarters or other posts) and inactive for a partner agency's, until
// an analyst adopts them.
func (tg *Targeting) profileState(p *crossguard.Profile, states map[string]string) string {
	if s, ok := states[p.ID]; ok {
		return s
	}
	if crossguard.Agency(p.Origin) == tg.Info.Agency {
		return crossguard.ProfileActive
	}
	return crossguard.ProfileInactive
}

// checkProfile validates a profile's fields and the meaning of its
// conditions.
func checkProfile(p *crossguard.Profile) error {
	var fields []crossguard.FieldError
	for _, err := range []error{p.Validate(), profiles.Check(p)} {
		for _, f := range crossguard.ErrorFields(err) {
			if !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
		}
		if err != nil && crossguard.ErrorCode(err) != crossguard.EINVALID {
			return err
		}
		if err != nil && len(crossguard.ErrorFields(err)) == 0 {
			fields = append(fields, crossguard.FieldError{Field: "conditions", Message: crossguard.ErrorMessage(err)})
		}
	}
	if len(fields) > 0 {
		return &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid profile", Fields: fields}
	}
	return nil
}

// CreateProfile validates a new profile of this node, stamps and stores
// it. It is active at once and shared as its distribution says.
func (tg *Targeting) CreateProfile(ctx context.Context, actor string, p *crossguard.Profile) (*ProfileView, error) {
	if p.Owner == "" {
		p.Owner = tg.Info.ID
	}
	if err := checkProfile(p); err != nil {
		return nil, err
	}
	now := tg.Clock.Now().UTC()
	p.ID, p.Kind, p.Origin, p.Version = tg.NewID(), crossguard.KindProfile, tg.Info.ID, 1
	p.CreatedAt, p.UpdatedAt = now, now
	if err := tg.storeProfile(ctx, actor, p, true); err != nil {
		return nil, err
	}
	return tg.viewProfile(ctx, p)
}

// UpdateProfile replaces this node's profile id, last seen at ifVersion.
func (tg *Targeting) UpdateProfile(ctx context.Context, actor, id string, ifVersion int64, p *crossguard.Profile) (*ProfileView, error) {
	if p.ID != "" && p.ID != id {
		return nil, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid profile",
			Fields: []crossguard.FieldError{{Field: "id", Message: fmt.Sprintf("%q does not match the profile being updated", p.ID)}}}
	}
	old, err := tg.profile(ctx, id)
	if err != nil {
		return nil, err
	}
	if old.Origin != tg.Info.ID {
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN, "profile %s belongs to %s: only its origin may change it; adopt or disable it here instead", id, old.Origin)
	}
	if old.Version != ifVersion {
		return nil, crossguard.Errorf(crossguard.EPRECONDITIONFAILED, "profile %s is at version %d, not %d: reload it and apply the change again", id, old.Version, ifVersion)
	}
	if p.Owner == "" {
		p.Owner = old.Owner
	}
	if err := checkProfile(p); err != nil {
		return nil, err
	}
	p.ID, p.Kind, p.Origin, p.CreatedAt = id, crossguard.KindProfile, old.Origin, old.CreatedAt
	p.Version, p.UpdatedAt = ifVersion+1, tg.Clock.Now().UTC()
	if err := tg.storeProfile(ctx, actor, p, false); err != nil {
		return nil, err
	}
	return tg.viewProfile(ctx, p)
}

// storeProfile writes a profile record and refreshes targeting.
func (tg *Targeting) storeProfile(ctx context.Context, actor string, p *crossguard.Profile, create bool) error {
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode profile: %w", err)
	}
	r := &crossguard.Record{Header: p.Header, Body: body}
	if create {
		err = tg.store.CreateRecord(ctx, actor, r)
	} else {
		err = tg.store.UpdateRecord(ctx, actor, r)
	}
	if err != nil {
		return fmt.Errorf("store profile: %w", err)
	}
	return tg.Refresh(ctx)
}

// DeleteProfile deletes a profile of this node, leaving a tombstone that
// reaches every peer holding it.
func (tg *Targeting) DeleteProfile(ctx context.Context, actor, id string, ifVersion int64) error {
	old, err := tg.profile(ctx, id)
	if err != nil {
		return err
	}
	if old.Origin != tg.Info.ID {
		return crossguard.Errorf(crossguard.EFORBIDDEN, "profile %s belongs to %s: only its origin may delete it; disable it here instead", id, old.Origin)
	}
	if err := tg.store.DeleteRecord(ctx, actor, id, ifVersion, tg.Clock.Now().UTC()); err != nil {
		return fmt.Errorf("delete profile: %w", err)
	}
	return tg.Refresh(ctx)
}

// profile returns a live profile, or ENOTFOUND.
func (tg *Targeting) profile(ctx context.Context, id string) (*crossguard.Profile, error) {
	r, err := tg.store.Record(ctx, id)
	if err != nil {
		if crossguard.ErrorCode(err) == crossguard.ENOTFOUND {
			return nil, crossguard.Errorf(crossguard.ENOTFOUND, "no profile %s on this node", id)
		}
		return nil, err
	}
	return decodeProfile(r)
}

// Profile returns a profile with its state and statistics. Reading
// another node's profile is audited.
func (tg *Targeting) Profile(ctx context.Context, actor, id string) (*ProfileView, error) {
	p, err := tg.profile(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := tg.auditProfileReads(ctx, actor, p); err != nil {
		return nil, err
	}
	return tg.viewProfile(ctx, p)
}

// auditProfileReads appends a read entry for each profile of another
// origin, as reads of other nodes' seizures are.
func (tg *Targeting) auditProfileReads(ctx context.Context, actor string, ps ...*crossguard.Profile) error {
	for _, p := range ps {
		if p.Origin == tg.Info.ID {
			continue
		}
		e := &crossguard.AuditEntry{At: tg.Clock.Now(), Actor: actor, Action: crossguard.ActionRecordRead,
			RecordKind: crossguard.KindProfile, RecordID: p.ID, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("origin", p.Origin)}
		if err := tg.store.AppendAudit(ctx, e); err != nil {
			return fmt.Errorf("audit read of profile %s: %w", p.ID, err)
		}
	}
	return nil
}

// Profiles lists every profile, own and received, with states and
// statistics, by name (ties by id). Reading other nodes' profiles is
// audited.
func (tg *Targeting) Profiles(ctx context.Context, actor string) ([]*ProfileView, error) {
	ps, err := tg.loadProfiles(ctx)
	if err != nil {
		return nil, err
	}
	if err := tg.auditProfileReads(ctx, actor, ps...); err != nil {
		return nil, err
	}
	states, err := tg.store.ProfileStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("load profile states: %w", err)
	}
	stats, err := tg.profileStats(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*ProfileView, len(ps))
	for i, p := range ps {
		out[i] = &ProfileView{Profile: p, State: tg.profileState(p, states), Stats: statsFor(stats, p)}
	}
	slices.SortFunc(out, func(a, b *ProfileView) int {
		if a.Name != b.Name {
			if a.Name < b.Name {
				return -1
			}
			return 1
		}
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	return out, nil
}

// viewProfile adds the local state and statistics to one profile.
func (tg *Targeting) viewProfile(ctx context.Context, p *crossguard.Profile) (*ProfileView, error) {
	states, err := tg.store.ProfileStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("load profile states: %w", err)
	}
	stats, err := tg.profileStats(ctx)
	if err != nil {
		return nil, err
	}
	return &ProfileView{Profile: p, State: tg.profileState(p, states), Stats: statsFor(stats, p)}, nil
}

// profileStats returns every profile's statistics over all decisions.
func (tg *Targeting) profileStats(ctx context.Context) (map[string]*crossguard.RateStats, error) {
	st, err := tg.store.RiskStats(ctx, time.Unix(0, 0).UTC(), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, fmt.Errorf("profile statistics: %w", err)
	}
	m := make(map[string]*crossguard.RateStats, len(st.Profiles))
	for _, s := range st.Profiles {
		m[s.Key] = s
	}
	return m, nil
}

func statsFor(m map[string]*crossguard.RateStats, p *crossguard.Profile) *crossguard.RateStats {
	if s := m[p.ID]; s != nil {
		s.Name = p.Name
		return s
	}
	return &crossguard.RateStats{Key: p.ID, Name: p.Name}
}

// SetProfileState adopts (active), disables or sets inactive a profile of
// any origin on this node. A profile whose conditions this node cannot
// apply cannot be adopted.
func (tg *Targeting) SetProfileState(ctx context.Context, actor, id, state string) (*ProfileView, error) {
	if !slices.Contains([]string{crossguard.ProfileActive, crossguard.ProfileInactive, crossguard.ProfileDisabled}, state) {
		return nil, crossguard.Errorf(crossguard.EINVALID, "%q is not a profile state: active, inactive or disabled", state)
	}
	p, err := tg.profile(ctx, id)
	if err != nil {
		return nil, err
	}
	if state == crossguard.ProfileActive {
		if err := profiles.Check(p); err != nil {
			return nil, crossguard.Errorf(crossguard.EINVALID, "profile %s cannot be adopted: %s", id, crossguard.ErrorMessage(err))
		}
	}
	if err := tg.store.SetProfileState(ctx, actor, id, state, tg.Clock.Now().UTC()); err != nil {
		return nil, fmt.Errorf("set profile state: %w", err)
	}
	if err := tg.Refresh(ctx); err != nil {
		return nil, err
	}
	return tg.viewProfile(ctx, p)
}

// Refresh reloads targeting if it runs, so that a change takes
// effect with the next decision.
func (tg *Targeting) Refresh(ctx context.Context) error {
	tg.mu.Lock()
	on := tg.live != nil
	tg.mu.Unlock()
	if !on {
		return nil
	}
	return tg.ReloadTargeting(ctx)
}
