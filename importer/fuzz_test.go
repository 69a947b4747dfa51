package importer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"crossguard"
	"crossguard/importer"
	"crossguard/internal/testnode"
)

// FuzzImportCSV imports arbitrary bytes as a CSV file. Whatever the input,
// the import must not panic; it may refuse the file, or stop at a part it
// cannot read, only with an EINVALID error; and its counts must agree with
// each other, with the database and with the rejects file. The seed corpus
// is in testdata/fuzz/FuzzImportCSV.
func FuzzImportCSV(f *testing.F) {
	example, err := os.ReadFile("testdata/example.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add(newTable().add(nil).add(map[string]string{"hs": "99"}).add(map[string]string{"ref": "A"}).add(map[string]string{"ref": "A", "unit": "x"}).bytes())
	f.Add([]byte("occurred_at,country\n\"a\"b,c\n"))
	f.Add(append([]byte("\ufeff"), newTable().add(map[string]string{"narrative": "caf\xe9"}).bytes()...))
	f.Add([]byte{0xFF, 0xFE, 'a', 0})

	// Under -fuzz, rows go to a store in memory: the coverage
	// instrumentation of a fuzzing build makes SQLite (transpiled C) take
	// seconds per input. The seed corpus, run by every go test, uses SQLite.
	n, changes := fuzzNode(f, flag.Lookup("test.fuzz").Value.String() != "")
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "fuzz.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if err := n.Store.ForgetImport(ctx, hex.EncodeToString(sum[:])); err != nil {
			t.Fatal(err)
		}
		before := changes()
		var errs bytes.Buffer
		res, err := importer.ImportSeizures(ctx, targetOf(n), "fuzz", path, importer.Options{BatchSize: 3, Errors: &errs, MaxErrorLines: 10})
		stored := changes() - before
		if err != nil {
			var e *crossguard.Error
			if !errors.As(err, &e) || e.Code != crossguard.EINVALID {
				t.Fatalf("error for bad data is not EINVALID: %v", err)
			}
			if res == nil && stored != 0 {
				t.Fatalf("refused the file (%v) but stored %d seizures", err, stored)
			}
		}
		if res == nil {
			return
		}
		if stored != res.Imported {
			t.Fatalf("result says %d imported, the database got %d", res.Imported, stored)
		}
		if err != nil {
			return // stopped part way; the counts cover only what was committed
		}
		good := res.Rows - res.Rejected - res.Blank
		if good < 0 || res.Imported > good || (good > 0) != (res.Imported > 0) || res.Lines < res.Rows+1 {
			t.Fatalf("counts disagree: %+v", res)
		}
		if res.Rejected == 0 {
			if res.RejectsPath != "" {
				t.Fatalf("rejects file %q named with no row rejected", res.RejectsPath)
			}
			return
		}
		if rows := readCSV(t, res.RejectsPath); int64(len(rows)) != res.Rejected+1 {
			t.Fatalf("rejects file holds %d rows, result says %d were rejected", len(rows)-1, res.Rejected)
		}
		if lines := bytes.Count(errs.Bytes(), []byte("\n")); lines > 11 {
			t.Fatalf("%d error lines written, want at most 10 and a summary", lines)
		}
	})
}

// fuzzNode returns a node for fuzzing and a function counting the
// seizures stored so far: over a store in memory if inMemory is set,
// otherwise over SQLite.
func fuzzNode(f *testing.F, inMemory bool) (*testnode.Node, func() int64) {
	if inMemory {
		st := &memStore{seizures: map[string]bool{}, progress: map[string]crossguard.ImportProgress{}}
		n := testnode.New(testNodeInfo, st, nil)
		n.Clock = crossguard.FixedClock(now)
		return n, func() int64 {
			st.mu.Lock()
			defer st.mu.Unlock()
			return int64(len(st.seizures))
		}
	}
	n, dbPath := mustNode(f, "")
	db := openDB(f, dbPath)
	return n, func() int64 {
		var seq int64
		if err := db.QueryRow(`SELECT change_seq FROM heads`).Scan(&seq); err != nil {
			f.Fatal(err)
		}
		return seq
	}
}

// memStore keeps what an import writes in memory: seizure ids and import
// progress. It implements only the methods an import calls; the embedded
// nil interface panics on any other.
type memStore struct {
	crossguard.Store
	mu       sync.Mutex
	seizures map[string]bool
	progress map[string]crossguard.ImportProgress
}

// CreateSeizures stores the ids of items and the progress, or nothing if
// an id is already stored.
func (m *memStore) CreateSeizures(_ context.Context, _ string, items []*crossguard.Seizure, p *crossguard.ImportProgress) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range items {
		if m.seizures[s.ID] || s.ID == "" || s.Version != 1 {
			return crossguard.Errorf(crossguard.ECONFLICT, "seizure %q already exists or is not stamped", s.ID)
		}
	}
	for _, s := range items {
		m.seizures[s.ID] = true
	}
	if p != nil {
		m.progress[p.FileHash] = *p
	}
	return nil
}

// ImportProgress returns the saved progress of a file, or nil.
func (m *memStore) ImportProgress(_ context.Context, hash string) (*crossguard.ImportProgress, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if p, ok := m.progress[hash]; ok {
		return &p, nil
	}
	return nil, nil
}

// SaveImportProgress saves the progress of a file.
func (m *memStore) SaveImportProgress(_ context.Context, p *crossguard.ImportProgress) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.progress[p.FileHash] = *p
	return nil
}

// ForgetImport deletes the progress of a file.
func (m *memStore) ForgetImport(_ context.Context, hash string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.progress, hash)
	return nil
}
