package browsertest

import (
	"bytes"
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Timeouts that bound a hung browser; they never judge speed.
const (
	// StartTimeout bounds the start of the browser and its first tab.
	StartTimeout = 60 * time.Second
	// StepTimeout bounds one call of Do or Run.
	StepTimeout = 30 * time.Second
)

// deadProxy is where the browser sends every request to a host other than
// the loopback ones (which Chromium never proxies): nothing listens there,
// so such a request fails on this machine instead of leaving it.
const deadProxy = "http://127.0.0.1:9"

// Browser is one headless Chromium with one tab, ended when its test ends.
type Browser struct {
	t   testing.TB
	ctx context.Context
	out *lockedBuffer

	mu       sync.Mutex
	requests []string
}

// New starts a headless Chromium for t, with a user-data folder of its
// own, the sandbox off when the test runs as root (Chromium refuses to
// start otherwise), and a proxy that refuses every request to another
// host. Without a browser it skips t, or fails it when the browser is
// required (see Path).
func New(t testing.TB) *Browser {
	t.Helper()
	path := Path(t)
	b := &Browser{t: t, out: &lockedBuffer{}}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("proxy-server", deadProxy),
		chromedp.Flag("lang", "en-GB"),
		chromedp.CombinedOutput(b.out),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx,
		chromedp.WithListener(b.record),
		chromedp.WithLogf(t.Logf),
		chromedp.WithErrorf(t.Logf),
	)
	b.ctx = ctx
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})

	// The first Do starts the browser and ties its life to ctx, so it runs
	// without a deadline; a timer bounds it instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start %s: %v\nbrowser output:\n%s", path, err, b.out)
		}
	case <-time.After(StartTimeout):
		cancelTab()
		t.Fatalf("start %s: no tab after %s\nbrowser output:\n%s", path, StartTimeout, b.out)
	}
	return b
}

// Context returns the context of the browser's tab, for chromedp calls
// that Do and Run do not cover. It has no deadline.
func (b *Browser) Context() context.Context { return b.ctx }

// Do runs steps in the tab, failing the test on the first error or when
// they take longer than StepTimeout.
func (b *Browser) Do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// Run runs one action in b's tab and returns its value, failing the test
// on an error or when it takes longer than StepTimeout.
func Run[T any](b *Browser, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %v", err)
	}
	return v
}

// Requests returns the URL of every request the tab has made so far, in
// order, redirects and sub-resources included.
func (b *Browser) Requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.requests...)
}

// record is the tab's event listener: it keeps the URL of each request.
// It runs in the tab's message loop, so it only appends.
func (b *Browser) record(ev any) {
	if ev, ok := ev.(*network.EventRequestWillBeSent); ok {
		b.mu.Lock()
		b.requests = append(b.requests, ev.Request.URL)
		b.mu.Unlock()
	}
}

// lockedBuffer collects the browser's output, which it writes from
// another goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Load runs steps that make the tab navigate, such as a click on a link
// or a form's button, waits for the new page to load and returns the
// response of its document (after redirects). It fails the test on an
// error or after StepTimeout.
func (b *Browser) Load(steps ...chromedp.Action[chromedp.Void]) *network.Response {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		b.t.Fatalf("browser: %v", err)
	}
	return res
}
