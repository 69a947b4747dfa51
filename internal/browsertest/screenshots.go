package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// ScreenshotsEnv names the folder that the README's screenshots are
// written to (see Screenshot).
const ScreenshotsEnv = "CROSSGUARD_SCREENSHOTS"

// Size of the window of the README's screenshots.
const (
	ScreenshotWidth  = 1280
	ScreenshotHeight = 800
)

// Screenshot writes a PNG of what a 1280×800 window shows of the page in
// the tab of ctx (a Browser's Context): to name.png in the folder
// ScreenshotsEnv names, when it is set, where the README's pictures are
// made, and to the test's artifacts folder. The test scrolls to what it
// wants shown first. It returns the artifact's path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(ScreenshotWidth, ScreenshotHeight)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	file := unsafeName.ReplaceAllString(name, "_") + ".png"
	if dir := os.Getenv(ScreenshotsEnv); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		path := filepath.Join(dir, file)
		if err := os.WriteFile(path, shot, 0o644); err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		t.Logf("screenshot %s", path)
	}
	path := filepath.Join(ArtifactsDir(t), file)
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	t.Logf("screenshot %s", path)
	return path
}
