package node

import (
	"context"
	"fmt"

	"crossguard"
	"crossguard/risk/profiles"
)

// RecentDecisions returns a page of the declaration queue: decided
// declarations, newest decision first, filtered by channel, crossing
// point and whether they still await inspection.
func (tg *Targeting) RecentDecisions(ctx context.Context, f crossguard.DecisionFilter) (*crossguard.DecisionPage, error) {
	f, err := f.Normalize()
	if err != nil {
		return nil, err
	}
	return tg.store.RecentDecisions(ctx, f)
}

// previewExamples is how many selected declarations a preview names.
const previewExamples = 5

// ProfilePreview says what a draft profile would have done to the most
// recent declarations: of Considered declarations (at most the number
// asked for), it would have selected Selected; Inspected of those were
// inspected, Finds of them with a find (an irregularity or a seizure).
// Examples names up to five of the selected, newest first.
type ProfilePreview struct {
	Considered int      `json:"considered"`
	Selected   int      `json:"selected"`
	Inspected  int      `json:"inspected"`
	Finds      int      `json:"finds"`
	Examples   []string `json:"examples"`
}

// PreviewProfile checks a draft profile as CreateProfile would, failing
// with its field errors, then matches it against the last n declarations
// received (DefaultPreviewSize when n is 0, at most MaxPreviewSize) with
// the same compiled index that decisions use. The draft's conditions are
// applied as though it were in force: its validity dates are left out,
// since a new profile usually starts today. Nothing is stored.
func (tg *Targeting) PreviewProfile(ctx context.Context, p *crossguard.Profile, last int) (*ProfilePreview, error) {
	switch {
	case last < 0:
		return nil, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid preview",
			Fields: []crossguard.FieldError{{Field: "n", Message: "must not be negative"}}}
	case last == 0:
		last = crossguard.DefaultPreviewSize
	case last > crossguard.MaxPreviewSize:
		last = crossguard.MaxPreviewSize
	}
	draft := *p
	if draft.Owner == "" {
		draft.Owner = tg.Info.ID
	}
	if err := checkProfile(&draft); err != nil {
		return nil, err
	}
	ix, err := profiles.Compile([]*crossguard.Profile{&draft})
	if err != nil {
		return nil, fmt.Errorf("preview profile: %w", err)
	}
	entries, err := tg.store.RecentDeclarations(ctx, last)
	if err != nil {
		return nil, fmt.Errorf("preview profile: %w", err)
	}
	out := &ProfilePreview{Considered: len(entries), Examples: []string{}}
	var hits []*crossguard.Profile
	for _, e := range entries {
		hits = ix.Match(hits[:0], e.Declaration, draft.ValidFrom)
		if len(hits) == 0 {
			continue
		}
		out.Selected++
		if len(out.Examples) < previewExamples {
			out.Examples = append(out.Examples, string(e.Declaration.DeclarationID))
		}
		if in := e.Inspection; in != nil {
			out.Inspected++
			if in.Label.Fraud > 0 {
				out.Finds++
			}
		}
	}
	return out, nil
}
