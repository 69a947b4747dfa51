package browsertest

import (
	"crypto/sha512"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// The accessibility checker: axe.min.js of axe-core, kept unchanged in
// the folder axe/ with its licence (MPL 2.0) and a README saying where it
// comes from. It is embedded in this test helper package only, never in
// the crossguard binary, so the tests need no registry. Change the file,
// the version and the checksum together (see axe/README.md).
const (
	axeVersion = "4.14.1"
	// axeSHA512 is the hexadecimal sha512 of axe/axe.min.js.
	axeSHA512 = "e63e659f9806d7ae5bd40899043b0871a5062c5442b01b3f1a3edf5eaf50bf5c3a7104a72463293b4ad1b77c661a0d4e40e850dec89de9d6ece70a8c13a9af17"
)

// axeFile is axe/axe.min.js as committed.
//
//go:embed axe/axe.min.js
var axeFile []byte

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

// axeSource is the script of axe-core, checked once per test binary.
var axeSource = sync.OnceValues(func() (string, error) { return checkAxe(axeFile) })

// Axe runs axe-core on the page in b's tab with the WCAG 2 A and AA rules
// and returns the violations of serious or critical impact. The script is
// injected through the DevTools protocol, which the page's
// Content-Security-Policy does not govern, so the page needs no change.
// It fails t if the committed script is not the pinned one.
func (b *Browser) Axe(t testing.TB) []AxeViolation {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatal(err)
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

// checkAxe returns script as text if its sha512 is axeSHA512, and an
// error saying both checksums otherwise.
func checkAxe(script []byte) (string, error) {
	sum := sha512.Sum512(script)
	if got := hex.EncodeToString(sum[:]); got != axeSHA512 {
		return "", fmt.Errorf("axe-core %s: axe/axe.min.js has sha512 %s, want %s (see axe/README.md)", axeVersion, got, axeSHA512)
	}
	return string(script), nil
}
