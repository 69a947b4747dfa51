package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"crossguard/risk/features"
	"crossguard/risk/gbt"
)

// Node kinds in the payload.
const (
	nodeLeaf       = 0
	nodeSplitRight = 1 // missing values go right
	nodeSplitLeft  = 2 // missing values go left
)

// marshal encodes the model's meta, feature layout, encoder and trees.
// Cover and gain are kept as float32: they only inform Info.
func (m *Model) marshal() []byte {
	e := &encoder{}
	meta, _ := json.Marshal(m.meta) // a struct of numbers cannot fail
	e.bytes(meta)
	names := features.Names()
	e.uvarint(uint64(len(names)))
	for _, n := range names {
		e.str(n)
	}
	e.uvarint(uint64(len(m.enc.Vocabs)))
	for _, v := range m.enc.Vocabs {
		e.str(v.Field)
		e.uvarint(uint64(len(v.Categories)))
		for _, c := range v.Categories {
			e.str(c.Value)
			e.uvarint(uint64(c.Count))
			e.uvarint(uint64(c.Frauds))
		}
	}
	e.uvarint(uint64(len(m.enc.HS)))
	for _, level := range m.enc.HS {
		e.uvarint(uint64(len(level)))
		for _, s := range level {
			e.str(s.Code)
			for k := range s.N {
				e.uvarint(uint64(s.N[k]))
				e.f64(s.Mean[k])
				e.f64(s.Std[k])
			}
		}
	}
	e.f64(m.ens.Base)
	e.uvarint(uint64(m.ens.Features))
	e.uvarint(uint64(len(m.ens.Trees)))
	for _, t := range m.ens.Trees {
		e.uvarint(uint64(len(t.Nodes)))
		for i, n := range t.Nodes {
			if n.Leaf() {
				e.byte1(nodeLeaf)
				e.f64(n.Value)
				e.f32(float32(n.Cover))
				continue
			}
			kind := byte(nodeSplitRight)
			if n.DefaultLeft {
				kind = nodeSplitLeft
			}
			e.byte1(kind)
			e.uvarint(uint64(n.Feature))
			e.uvarint(uint64(int(n.Left) - i))
			e.uvarint(uint64(n.Right - n.Left))
			e.f64(n.Threshold)
			e.f64(n.Value)
			e.f32(float32(n.Cover))
			e.f32(float32(n.Gain))
		}
	}
	return e.b
}

// unmarshal decodes what marshal wrote and checks that it makes a usable
// model.
func unmarshal(b []byte) (*Model, error) {
	d := &decoder{b: b}
	m := &Model{}
	if err := json.Unmarshal(d.bytes(), &m.meta); d.err == nil && err != nil {
		return nil, fmt.Errorf("meta: %w", err)
	}
	if d.err != nil {
		return nil, fmt.Errorf("meta: %w", d.err)
	}
	names := make([]string, d.count(1, "feature names"))
	for i := range names {
		names[i] = d.str()
	}
	if d.err != nil {
		return nil, fmt.Errorf("features: %w", d.err)
	}
	if want := features.Names(); !slices.Equal(names, want) {
		return nil, fmt.Errorf("its features (%s) are not the %d this crossguard computes", abbreviate(names), len(want))
	}
	enc, err := decodeEncoder(d)
	if err != nil {
		return nil, err
	}
	m.enc = enc
	ens, err := decodeEnsemble(d)
	if err != nil {
		return nil, err
	}
	if ens.Features != len(names) {
		return nil, fmt.Errorf("its trees are for %d features, not %d", ens.Features, len(names))
	}
	m.ens = ens
	m.forest = ens.Compile()
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%d bytes after the trees", len(d.b))
	}
	return m, nil
}

// decodeEncoder reads the feature encoder.
func decodeEncoder(d *decoder) (*features.Encoder, error) {
	enc := &features.Encoder{Vocabs: make([]features.Vocab, d.count(2, "vocabularies"))}
	for i := range enc.Vocabs {
		v := &enc.Vocabs[i]
		v.Field = d.str()
		v.Categories = make([]features.Category, d.count(3, "categories"))
		for j := range v.Categories {
			c := &v.Categories[j]
			c.Value = d.str()
			c.Count = d.int32v("count")
			c.Frauds = d.int32v("fraud count")
		}
	}
	enc.HS = make([][]features.HSStats, d.count(1, "HS levels"))
	for l := range enc.HS {
		level := make([]features.HSStats, d.count(1+3*17, "HS codes"))
		for i := range level {
			s := &level[i]
			s.Code = d.str()
			for k := range s.N {
				s.N[k] = d.int32v("HS count")
				s.Mean[k] = d.f64()
				s.Std[k] = d.f64()
			}
		}
		enc.HS[l] = level
	}
	if d.err != nil {
		return nil, fmt.Errorf("encoder: %w", d.err)
	}
	if err := enc.Init(); err != nil {
		return nil, err
	}
	return enc, nil
}

// decodeEnsemble reads the trees.
func decodeEnsemble(d *decoder) (*gbt.Ensemble, error) {
	ens := &gbt.Ensemble{Base: d.f64()}
	nf := d.uvarint()
	if nf > features.MaxFeatures {
		return nil, fmt.Errorf("trees for %d features", nf)
	}
	ens.Features = int(nf)
	ens.Trees = make([]gbt.Tree, d.count(1+13, "trees"))
	for t := range ens.Trees {
		nodes := make([]gbt.Node, d.count(13, "nodes"))
		for i := range nodes {
			n := &nodes[i]
			kind := d.byte1()
			switch kind {
			case nodeLeaf:
				n.Feature = -1
				n.Value = d.f64()
				n.Cover = float64(d.f32())
				continue
			case nodeSplitRight, nodeSplitLeft:
			default:
				d.fail(fmt.Errorf("tree %d node %d is of unknown kind %d", t, i, kind))
			}
			n.DefaultLeft = kind == nodeSplitLeft
			n.Feature = d.int32v("feature")
			left := d.uvarint()
			right := d.uvarint()
			if left == 0 || left > uint64(len(nodes)) || right > uint64(len(nodes)) {
				d.fail(fmt.Errorf("tree %d node %d has children out of range", t, i))
			}
			n.Left = int32(i + int(left))
			n.Right = n.Left + int32(right)
			n.Threshold = d.f64()
			n.Value = d.f64()
			n.Cover = float64(d.f32())
			n.Gain = float64(d.f32())
		}
		if d.err != nil {
			return nil, fmt.Errorf("tree %d: %w", t, d.err)
		}
		ens.Trees[t].Nodes = nodes
	}
	if d.err != nil {
		return nil, fmt.Errorf("trees: %w", d.err)
	}
	if err := ens.Validate(); err != nil {
		return nil, err
	}
	return ens, nil
}

// abbreviate lists the first few names of a list.
func abbreviate(names []string) string {
	if len(names) > 4 {
		return strings.Join(names[:4], ", ") + fmt.Sprintf(" and %d more", len(names)-4)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
