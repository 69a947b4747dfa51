package browsertest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"crossguard/internal/testenv"
)

// Environment variables read by the package.
const (
	// ChromiumEnv names the browser to run: a path, or a command looked up
	// on PATH.
	ChromiumEnv = "CROSSGUARD_CHROMIUM"
	// RequiredEnv set to "required" makes a missing browser fail the tests
	// instead of skipping them.
	RequiredEnv = "CROSSGUARD_TEST_BROWSER"
	// ArtifactsEnv names the folder that screenshots are written under.
	ArtifactsEnv = "CROSSGUARD_ARTIFACTS"
)

// candidates are the commands tried on PATH, in order, when ChromiumEnv is
// not set.
var candidates = []string{"chromium", "chromium-browser", "google-chrome"}

// noBrowser is the message of a test skipped or failed for want of a browser.
const noBrowser = "no Chromium: install Debian's chromium or set " + ChromiumEnv +
	"; CI sets " + RequiredEnv + "=required"

// Required reports whether browser tests must fail rather than skip when
// no browser is found: with CROSSGUARD_TEST_BROWSER=required or in CI.
func Required() bool {
	return os.Getenv(RequiredEnv) == "required" || testenv.Required()
}

// Find returns the path of the browser to run: the one ChromiumEnv names,
// else the first of chromium, chromium-browser and google-chrome on PATH.
func Find() (string, error) {
	if name := os.Getenv(ChromiumEnv); name != "" {
		path, err := exec.LookPath(name)
		if err != nil {
			return "", fmt.Errorf("%s=%s: %w", ChromiumEnv, name, err)
		}
		return path, nil
	}
	for _, name := range candidates {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", errors.New("none of chromium, chromium-browser, google-chrome is on PATH")
}

// Path returns the browser's path for t. Without a browser it skips t with
// a message, or fails it when the browser is required.
func Path(t testing.TB) string {
	t.Helper()
	path, err := Find()
	if err != nil {
		why := noBrowser + " (" + err.Error() + ")"
		if Required() {
			t.Fatal("browser required: " + why)
		}
		t.Skip(why)
	}
	return path
}
