// Package browsertest runs tests in a real headless Chromium driven with
// chromedp. It finds the browser (CROSSGUARD_CHROMIUM, else chromium,
// chromium-browser or google-chrome on PATH) and, when there is none, skips
// the test with a message on a developer's machine but fails it where the
// browser is required (CROSSGUARD_TEST_BROWSER=required, or CI=true), so
// that a green CI run never hides a missing browser.
//
// A Browser keeps the URL of every request its page made, so that a test
// can check that the page reached no host but the test server, and writes
// screenshots as PNG files under the artifacts folder
// (CROSSGUARD_ARTIFACTS, else a temporary folder that the test logs);
// Screenshot also writes the README's pictures, from a 1280×800 window,
// to the folder CROSSGUARD_SCREENSHOTS names.
//
// Browser.Axe checks a page with axe-core, whose script is committed in
// axe/ with its licence and embedded in this package, checked against its
// pinned sha512 before use; no registry is needed, and it is never part of
// the crossguard binary.
package browsertest
