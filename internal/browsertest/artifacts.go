package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// unsafeName matches the characters of a test name that are kept out of
// file names.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// logged remembers the temporary artifact folders already logged, so that
// each test logs its folder once.
var logged sync.Map

// ArtifactsDir returns the folder that t's artifacts go in, creating it:
// CROSSGUARD_ARTIFACTS/<test name>, or, when the variable is not set, a
// temporary folder (removed with the test) whose path is logged.
func ArtifactsDir(t testing.TB) string {
	t.Helper()
	base := os.Getenv(ArtifactsEnv)
	if base == "" {
		if dir, ok := logged.Load(t); ok {
			return dir.(string)
		}
		dir := t.TempDir()
		logged.Store(t, dir)
		t.Cleanup(func() { logged.Delete(t) })
		t.Logf("artifacts in %s (removed after the test; set %s to keep them)", dir, ArtifactsEnv)
		return dir
	}
	dir := filepath.Join(base, unsafeName.ReplaceAllString(t.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts: %v", err)
	}
	return dir
}

// Screenshot writes a PNG of the whole page in the tab to name.png in the
// test's artifacts folder and returns its path. A page taller than the
// window is shot with the window stretched to its height for the moment:
// Chromium's capture beyond the viewport shifts right-to-left pages.
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	size := Run(b, chromedp.Evaluate[[]int64](`[window.innerWidth, window.innerHeight,
		Math.ceil(document.documentElement.scrollHeight)]`))
	if len(size) != 3 {
		b.t.Fatalf("screenshot %s: page size %v", name, size)
	}
	tall := size[2] > size[1]
	if tall {
		b.Do(chromedp.EmulateViewport(size[0], size[2]))
	}
	png := Run(b, chromedp.CaptureScreenshot())
	if tall {
		b.Do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
			return err
		}))
	}
	path := filepath.Join(ArtifactsDir(b.t), unsafeName.ReplaceAllString(name, "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	b.t.Logf("screenshot %s", path)
	return path
}
