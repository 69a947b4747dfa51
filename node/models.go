package node

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"

	"crossguard"
	"crossguard/risk/model"
)

// HoldOut is the share of the labelled declarations, the latest by date,
// that a model trained on the node is evaluated on rather than trained on.
const HoldOut = 0.2

// MinTrainingRows is the fewest labelled declarations a node trains on.
const MinTrainingRows = 200

// TrainModel trains a model on the node's inspected declarations: the
// earliest 80% by date (ties by id) train it, the latest 20% evaluate it.
// The new version is stored inactive with its evaluation, for an analyst
// to activate.
func (tg *Targeting) TrainModel(ctx context.Context, actor string, seed int64) (*crossguard.ModelInfo, error) {
	var ex []model.Example
	err := tg.store.LabelledDeclarations(ctx, func(d *crossguard.Declaration, l crossguard.Label) error {
		ex = append(ex, model.Example{Decl: d, Label: l})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read labelled declarations: %w", err)
	}
	if len(ex) < MinTrainingRows {
		return nil, crossguard.Errorf(crossguard.EINVALID, "only %d inspected declarations on this node; training needs at least %d (import labelled declarations or record inspections first)", len(ex), MinTrainingRows)
	}
	slices.SortStableFunc(ex, func(a, b model.Example) int {
		return cmp.Or(cmp.Compare(a.Decl.Date, b.Decl.Date), cmp.Compare(a.Decl.DeclarationID, b.Decl.DeclarationID))
	})
	cut := len(ex) - int(float64(len(ex))*HoldOut)
	train, held := ex[:cut], ex[cut:]
	m, err := model.Train(ctx, train, model.Options{Seed: seed})
	if err != nil {
		return nil, crossguard.Errorf(crossguard.EINVALID, "training failed: %v", err)
	}
	ev := evaluate(m, held)
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encode model: %w", err)
	}
	positives := 0
	for _, e := range train {
		if e.Label.Positive() {
			positives++
		}
	}
	info := &crossguard.ModelInfo{CreatedAt: tg.Clock.Now().UTC(), Seed: seed, TrainedRows: len(train), Positives: positives,
		Eval: &ev, Meta: m.Info(),
		Notes: fmt.Sprintf("trained on the %d earliest inspected declarations (to %s), evaluated on the %d latest (from %s)", len(train), train[len(train)-1].Decl.Date, len(held), held[0].Decl.Date)}
	if err := tg.store.SaveModel(ctx, actor, info, buf.Bytes()); err != nil {
		return nil, fmt.Errorf("store model: %w", err)
	}
	return info, nil
}

// evaluate scores held-out examples and measures precision and recall.
func evaluate(m *model.Model, ex []model.Example) crossguard.Evaluation {
	ids := make([]string, len(ex))
	scores := make([]float64, len(ex))
	pos := make([]bool, len(ex))
	for i, e := range ex {
		ids[i], scores[i], pos[i] = string(e.Decl.DeclarationID), m.Score(e.Decl), e.Label.Positive()
	}
	return model.Evaluate(ids, scores, pos)
}

// ImportModel stores a model file trained elsewhere (crossguard train) as
// a new, inactive version. A file that does not load is refused.
func (tg *Targeting) ImportModel(ctx context.Context, actor string, file []byte, notes string) (*crossguard.ModelInfo, error) {
	m, err := model.Read(bytes.NewReader(file))
	if err != nil {
		return nil, crossguard.Errorf(crossguard.EINVALID, "model file refused: %v", err)
	}
	info := &crossguard.ModelInfo{CreatedAt: tg.Clock.Now().UTC(), Meta: m.Info(), Notes: notes}
	if v, ok := info.Meta["seed"].(int64); ok {
		info.Seed = v
	}
	if v, ok := info.Meta["trained_rows"].(int); ok {
		info.TrainedRows = v
	}
	if v, ok := info.Meta["positives"].(int); ok {
		info.Positives = v
	}
	if err := tg.store.SaveModel(ctx, actor, info, file); err != nil {
		return nil, fmt.Errorf("store model: %w", err)
	}
	return info, nil
}

// Models lists the stored model versions, newest first.
func (tg *Targeting) Models(ctx context.Context) ([]*crossguard.ModelInfo, error) {
	return tg.store.Models(ctx)
}

// ActivateModel makes a stored version the one decisions use. A version
// whose file no longer loads is refused and the active model stays.
func (tg *Targeting) ActivateModel(ctx context.Context, actor string, version int64) (*crossguard.ModelInfo, error) {
	info, file, err := tg.store.ModelFile(ctx, version)
	if err != nil {
		return nil, err
	}
	if _, err := model.Read(bytes.NewReader(file)); err != nil {
		return nil, crossguard.Errorf(crossguard.EINVALID, "model %d cannot be activated, its file does not load: %v; the active model stays", version, err)
	}
	now := tg.Clock.Now().UTC()
	if err := tg.store.ActivateModel(ctx, actor, version, now); err != nil {
		return nil, fmt.Errorf("activate model %d: %w", version, err)
	}
	if err := tg.Refresh(ctx); err != nil {
		return nil, err
	}
	info.Active, info.ActivatedAt = true, &now
	return info, nil
}
