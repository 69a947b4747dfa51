package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"

	"crossguard/risk/gbt"
)

// smallModelFile trains a small model and returns it with its file.
func smallModelFile(tb testing.TB) (*Model, []byte) {
	tb.Helper()
	m := mustTrain(tb, syntheticExamples(600, 20), Options{Seed: 3, Trees: 8, MaxLeaves: 8, MaxDepth: 4})
	return m, mustBytes(tb, m)
}

// reseal recomputes the checksum of a file whose content was changed.
func reseal(file []byte) []byte {
	body := file[:len(file)-sha256.Size]
	sum := sha256.Sum256(body)
	return append(append([]byte(nil), body...), sum[:]...)
}

func TestFileRoundTrip(t *testing.T) {
	m := mustTrain(t, syntheticExamples(1000, 21), smallOptions)
	file := mustBytes(t, m)
	got, err := Read(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range syntheticExamples(300, 22) {
		if a, b := m.Score(e.Decl), got.Score(e.Decl); a != b {
			t.Fatalf("score %v before saving, %v after", a, b)
		}
		_, wa := m.Explain(e.Decl, 4)
		_, wb := got.Explain(e.Decl, 4)
		if !reflect.DeepEqual(wa, wb) {
			t.Fatalf("explanation %+v before saving, %+v after", wa, wb)
		}
	}
	if again := mustBytes(t, got); !bytes.Equal(file, again) {
		t.Error("a model read from a file writes a different file")
	}
	want := m.Info()
	delete(want, "training_seconds")
	if info := got.Info(); !reflect.DeepEqual(info, want) {
		t.Errorf("info after reading %v, want %v", info, want)
	}
}

func TestReadRefusesBadFiles(t *testing.T) {
	_, file := smallModelFile(t)
	version := func(v uint32) []byte {
		b := append([]byte(nil), file...)
		binary.LittleEndian.PutUint32(b[8:], v)
		return b
	}
	flip := func(at int) []byte {
		b := append([]byte(nil), file...)
		b[at] ^= 0x40
		return b
	}
	hugeLength := append([]byte(nil), file...)
	binary.LittleEndian.PutUint64(hugeLength[12:], 1<<40)
	garbage := append(append([]byte(nil), file[:headerSize]...), bytes.Repeat([]byte{0xff}, 100)...)
	binary.LittleEndian.PutUint64(garbage[12:], 100)
	garbage = reseal(append(garbage, make([]byte, sha256.Size)...))

	cases := []struct {
		name string
		file []byte
		kind error
		want string
	}{
		{"empty", nil, ErrTruncated, "model file is empty"},
		{"not a model", []byte("Declaration ID,Date,Office ID\n1,2,3\n"), ErrNotModel, "not a crossguard model file"},
		{"short text", []byte("hello"), ErrNotModel, "not a crossguard model file"},
		{"newer version", version(3), ErrVersion, "model file is from format version 3; this crossguard reads version 1"},
		{"older version", version(0), ErrVersion, "format version 0"},
		{"header only", file[:headerSize-3], ErrTruncated, "shorter than its header"},
		{"truncated payload", file[:headerSize+10], ErrTruncated, "model file is truncated"},
		{"truncated checksum", file[:len(file)-1], ErrTruncated, "model file is truncated"},
		{"flipped payload byte", flip(headerSize + len(file)/2 - headerSize/2), ErrCorrupt, "checksum does not match"},
		{"flipped checksum byte", flip(len(file) - 1), ErrCorrupt, "checksum does not match"},
		{"absurd length", hugeLength, ErrCorrupt, "claims a payload"},
		{"garbage with a valid checksum", garbage, ErrCorrupt, "model file is corrupt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Read(bytes.NewReader(c.file))
			if err == nil {
				t.Fatalf("read a model (%v) from a bad file", m.Info()["trees"])
			}
			if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %v containing %q", err, c.kind, c.want)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Errorf("err %T is not a *FileError", err)
			}
		})
	}
}

func TestReadRefusesEveryTruncation(t *testing.T) {
	_, file := smallModelFile(t)
	for n := 0; n < len(file); n += 1 + n/8 {
		if _, err := Read(bytes.NewReader(file[:n])); err == nil {
			t.Fatalf("read a model from the first %d of %d bytes", n, len(file))
		}
	}
}

func TestReadRefusesInconsistentPayload(t *testing.T) {
	m, _ := smallModelFile(t)
	// Re-encode the payload with a tree whose child points back at the
	// root: the checksum is right, the content is not.
	bad := *m.ens
	bad.Trees = append([]gbt.Tree(nil), bad.Trees...)
	nodes := append([]gbt.Node(nil), bad.Trees[0].Nodes...)
	nodes[0].Right = nodes[0].Left + int32(len(nodes)) + 5
	bad.Trees[0].Nodes = nodes
	broken := &Model{enc: m.enc, ens: &bad, forest: m.forest, meta: m.meta}
	_, err := Read(bytes.NewReader(mustBytes(t, broken)))
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "children out of range") {
		t.Errorf("err = %v, want a corrupt file with children out of range", err)
	}
}
