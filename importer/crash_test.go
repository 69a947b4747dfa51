package importer_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"crossguard"
	"crossguard/importer"
)

// Environment of the helper process that the crash and memory tests run.
const (
	helperEnv    = "CROSSGUARD_IMPORT_HELPER" // "import" or "memory"
	helperDBEnv  = "CROSSGUARD_HELPER_DB"
	helperCSVEnv = "CROSSGUARD_HELPER_CSV"
	helperOutEnv = "CROSSGUARD_HELPER_OUT" // memory: file to write the peak RSS to
)

// TestHelperProcess is not a test: it is the child process that other
// tests start by running the test binary again, to import a file into a
// database in a process of its own that they can kill or measure.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("helper process for TestImportSurvivesKill and BenchmarkImportPeakRSS")
	}
	n, err := openNode(os.Getenv(helperDBEnv), false)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer n.Store.Close()
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "helper", os.Getenv(helperCSVEnv), importer.Options{BatchSize: 1000})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	if mode == "memory" {
		hwm, err := peakRSS()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		out := fmt.Sprintf("%d %d %d\n", hwm, res.Imported, res.Rejected)
		if err := os.WriteFile(os.Getenv(helperOutEnv), []byte(out), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(5)
		}
	}
	os.Exit(0)
}

// peakRSS returns the process's peak resident set size in bytes, from
// VmHWM in /proc/self/status.
func peakRSS() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err != nil {
				return 0, fmt.Errorf("parse VmHWM %q: %w", rest, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}

// writeNumberedFile writes a file of rows narrated "row N" (N from 0) to
// path, row N bad (an unknown HS code) if bad(N), and returns the number
// of good rows.
func writeNumberedFile(t testing.TB, path string, rows int, bad func(int) bool) int {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	w.Write(testColumns)
	row := make([]string, len(testColumns))
	good := 0
	for i := range rows {
		for j, c := range testColumns {
			row[j] = defaultRow[c]
			switch c {
			case "narrative":
				row[j] = fmt.Sprintf("row %d", i)
			case "hs":
				if bad(i) {
					row[j] = "999999"
				}
			}
		}
		if !bad(i) {
			good++
		}
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return good
}

// helperCommand returns the command that runs TestHelperProcess in mode.
func helperCommand(mode, db, csvPath, out string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperDBEnv+"="+db, helperCSVEnv+"="+csvPath, helperOutEnv+"="+out)
	return cmd
}

// importState reads the import's saved progress and the number of
// seizures, change numbers and create audit entries in the database.
type importState struct {
	imported, linesDone, seizures, changeSeq, audits int64
	finished                                         bool
}

// readState reads the state of the only import in db.
func readState(t testing.TB, db *sql.DB) (importState, bool) {
	t.Helper()
	var s importState
	var finished sql.NullString
	err := db.QueryRow(`SELECT imported, lines_done, finished_at FROM imports`).Scan(&s.imported, &s.linesDone, &finished)
	if err == sql.ErrNoRows {
		return s, false
	} else if err != nil {
		t.Fatal(err)
	}
	s.finished = finished.Valid
	for q, dst := range map[string]*int64{
		`SELECT count(*) FROM seizures`:                              &s.seizures,
		`SELECT change_seq FROM heads`:                               &s.changeSeq,
		`SELECT count(*) FROM audit WHERE action = 'seizure.create'`: &s.audits,
	} {
		if err := db.QueryRow(q).Scan(dst); err != nil {
			t.Fatal(err)
		}
	}
	return s, true
}

func TestImportSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 100,000 rows in a child process")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "node.db")
	n, _ := mustNode(t, dbPath)
	n.Store.Close()
	csvPath := filepath.Join(dir, "big.csv")
	const rows = 100000
	bad := func(i int) bool { return i%50 == 7 }
	good := writeNumberedFile(t, csvPath, rows, bad)

	cmd := helperCommand("import", dbPath, csvPath, "")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	db := openDB(t, dbPath)
	// Wait until a few batches are committed, then kill the child without
	// warning, in the middle of whatever it is doing. The child gives no
	// sign of a commit but the database, so the database is polled, every
	// 5 ms and at most 24,000 times; the wait ends if the child does.
	var before importState
	for try := 0; ; try++ {
		select {
		case err := <-exited:
			t.Fatalf("the child ended (%v) before it could be killed; its stderr:\n%s", err, stderr.String())
		default:
		}
		s, ok := readState(t, db)
		if ok && s.imported >= 3000 {
			break
		}
		if try == 24000 {
			cmd.Process.Kill()
			<-exited
			t.Fatalf("no 3 batches committed after %d looks; child stderr:\n%s", try, stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited

	before, _ = readState(t, db)
	if before.finished {
		t.Fatal("the child finished the import before it could be killed; make the file larger")
	}
	if before.seizures != before.imported || before.changeSeq != before.imported || before.audits != before.imported {
		t.Fatalf("after the kill the database is inconsistent: %+v (seizures, change numbers and audit entries must equal the progress's count)", before)
	}
	if before.imported%1000 != 0 {
		t.Fatalf("after the kill %d seizures are stored: not a whole number of batches of 1000", before.imported)
	}
	t.Logf("killed after %d seizures (line %d)", before.imported, before.linesDone)

	n, err := openNode(dbPath, false)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Store.Close()
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", csvPath, importer.Options{BatchSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Resumed || res.Imported != int64(good) || res.Rejected != int64(rows-good) {
		t.Errorf("resumed import %+v, want %d imported and %d rejected in all", res, good, rows-good)
	}
	after, _ := readState(t, db)
	if after.seizures != int64(good) || after.changeSeq != int64(good) || after.audits != int64(good) || !after.finished {
		t.Errorf("after resuming: %+v, want %d seizures", after, good)
	}
	var distinct, dupes int64
	if err := db.QueryRow(`SELECT count(DISTINCT json_extract(body, '$.narrative')) FROM seizures`).Scan(&distinct); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM seizures GROUP BY json_extract(body, '$.narrative') HAVING count(*) > 1)`).Scan(&dupes); err != nil {
		t.Fatal(err)
	}
	if distinct != int64(good) || dupes != 0 {
		t.Errorf("%d distinct rows stored, %d stored more than once; want %d, none", distinct, dupes, good)
	}
	rejects := readCSV(t, res.RejectsPath)[1:]
	seen := map[string]bool{}
	for _, r := range rejects {
		if seen[r[len(r)-1]] {
			t.Fatalf("rejected row written twice: %q", r[len(r)-1])
		}
		seen[r[len(r)-1]] = true
	}
	if len(rejects) != rows-good {
		t.Errorf("rejects file holds %d rows, want %d", len(rejects), rows-good)
	}
	if _, err := crossguard.VerifyAudit(context.Background(), n.Store); err != nil {
		t.Errorf("audit chain: %v", err)
	}
}
