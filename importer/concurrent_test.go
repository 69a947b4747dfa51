package importer_test

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"crossguard"
	"crossguard/importer"
	"crossguard/internal/testnode"
)

// TestConcurrentImportsOfOneFileStoreEachRowOnce runs two imports of the
// same file at once, as two processes would (two stores on one SQLite
// file), then resumes until done: every good row is stored exactly once.
func TestConcurrentImportsOfOneFileStoreEachRowOnce(t *testing.T) {
	_, db := mustNode(t, "")
	second, err := openNode(db, false)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Store.Close()
	first, err := openNode(db, false)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Store.Close()
	path, good, _ := resumeFile(t, 400)
	ctx := context.Background()

	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, n := range []*importerNode{{first, "a"}, {second, "b"}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			opts := importer.Options{BatchSize: 10, RejectsPath: filepath.Join(t.TempDir(), n.name+".rejects.csv")}
			_, errs[i] = importer.ImportSeizures(ctx, targetOf(n.node), "tester", path, opts)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && crossguard.ErrorCode(err) != crossguard.ECONFLICT {
			t.Fatalf("concurrent import failed other than by conflict: %v", err)
		}
	}
	// Whatever the interleaving, resuming finishes the file.
	for range 3 {
		if _, err := importer.ImportSeizures(ctx, targetOf(first), "tester", path, importer.Options{BatchSize: 10}); err == nil {
			break
		}
	}
	var narratives []string
	for _, s := range allSeizures(t, first) {
		narratives = append(narratives, s.Narrative)
	}
	slices.Sort(narratives)
	want := slices.Clone(good)
	slices.Sort(want)
	if !slices.Equal(narratives, want) {
		t.Fatalf("stored %d seizures, want the %d good rows each once", len(narratives), len(want))
	}
}

// importerNode names a node for the concurrent test.
type importerNode struct {
	node *testnode.Node
	name string
}
