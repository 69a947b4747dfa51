package browsertest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// The accessibility checker: axe-core from the npm registry, fetched at
// test time with npm and checked against its published integrity, never
// shipped with the binary. Change the version and the integrity together
// (npm view axe-core@VERSION dist.integrity).
const (
	axeVersion   = "4.14.1"
	axeIntegrity = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
	// axeScript is the file of the package that is injected in pages.
	axeScript = "package/axe.min.js"
)

// axeTags are the rule sets run: WCAG 2.0, 2.1 and 2.2, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// AxeViolation is one accessibility rule a page breaks, with the elements
// that break it.
type AxeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// String renders v on one line: rule, impact, help and elements.
func (v AxeViolation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
}

// axeSource is the script of axe-core, read once per test binary.
var axeSource = sync.OnceValues(loadAxe)

// Axe runs axe-core on the page in b's tab with the WCAG 2 A and AA rules
// and returns the violations of serious or critical impact. The script is
// injected through the DevTools protocol, which the page's
// Content-Security-Policy does not govern, so the page needs no change.
// Without npm or the registry it skips t, or fails it when the browser is
// required (see Required).
func (b *Browser) Axe(t testing.TB) []AxeViolation {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		why := "axe-core " + axeVersion + " unavailable: " + err.Error()
		if Required() {
			t.Fatal("accessibility check required: " + why)
		}
		t.Skip(why)
	}
	if !Run(b, chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		b.Do(chromedp.Evaluate[chromedp.Void](src))
	}
	tags, err := json.Marshal(axeTags)
	if err != nil {
		t.Fatal(err)
	}
	run := `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]})
  .then(r => r.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map(n => n.target.join(" "))})))`
	return Run(b, chromedp.Evaluate[[]AxeViolation](run, chromedp.EvalAwaitPromise))
}

// loadAxe returns axe.min.js from the package tarball in the cache folder,
// fetching the tarball with 'npm pack' when it is not there yet, and
// checking it against axeIntegrity either way.
func loadAxe() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "crossguard-test", "axe-core-"+axeVersion)
	tgz := filepath.Join(dir, "axe-core-"+axeVersion+".tgz")
	data, err := os.ReadFile(tgz)
	if err == nil && checkIntegrity(data) != nil {
		err = os.Remove(tgz) // a broken download: fetch it again
		if err != nil {
			return "", err
		}
		err = os.ErrNotExist
	}
	if errors.Is(err, os.ErrNotExist) {
		data, err = npmPack(dir, tgz)
	}
	if err != nil {
		return "", err
	}
	if err := checkIntegrity(data); err != nil {
		return "", err
	}
	return extract(data, axeScript)
}

// npmPack fetches the axe-core tarball with npm into a folder of its own
// in dir and moves it to tgz, so that test binaries run at the same time
// never read each other's half-written file, and returns it.
func npmPack(dir, tgz string) ([]byte, error) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return nil, errors.New("no npm on PATH (install Debian's npm)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(dir, "pack-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command(npm, "pack", "--silent", "axe-core@"+axeVersion, "--pack-destination", tmp)
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("npm pack axe-core@%s: %v\n%s", axeVersion, err, out)
	}
	if err := os.Rename(filepath.Join(tmp, filepath.Base(tgz)), tgz); err != nil {
		return nil, err
	}
	return os.ReadFile(tgz)
}

// checkIntegrity compares data with axeIntegrity, npm's sha512 of the
// tarball.
func checkIntegrity(data []byte) error {
	sum := sha512.Sum512(data)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != axeIntegrity {
		return fmt.Errorf("axe-core tarball integrity %s, want %s", got, axeIntegrity)
	}
	return nil
}

// extract returns the file name from the gzipped tar archive tgz.
func extract(tgz []byte, name string) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return "", fmt.Errorf("axe-core tarball: %w", err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return "", fmt.Errorf("axe-core tarball has no %s", name)
		}
		if err != nil {
			return "", fmt.Errorf("axe-core tarball: %w", err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				return "", fmt.Errorf("axe-core tarball: %w", err)
			}
			return string(b), nil
		}
	}
}
