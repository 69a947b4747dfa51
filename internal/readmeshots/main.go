// Command readmeshots takes the README's screenshots from a running demo:
// the dashboard (whole page, and its top in Urdu), the seizure form with a
// refused HS code, and a red decision with its reasons.
//
// Start the demo, then, with the password it prints:
//
//	go run ./internal/readmeshots http://127.0.0.1:8081 PASSWORD docs/screenshots
//
// It signs in to the Sost node as demo-analyst in Debian's chromium.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

type V = chromedp.Action[chromedp.Void]

func do(ctx context.Context, acts ...V) {
	for _, a := range acts {
		if _, err := chromedp.Run(ctx, a); err != nil {
			panic(err)
		}
	}
}

func shot(ctx context.Context, name string, acts ...V) {
	do(ctx, acts...)
	do(ctx, chromedp.Sleep(500*time.Millisecond))
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		panic(fmt.Sprintf("%s: %v", name, err))
	}
	if err := os.WriteFile(filepath.Join(os.Args[3], name+".png"), buf, 0o644); err != nil {
		panic(err)
	}
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: readmeshots URL PASSWORD DIR")
		os.Exit(2)
	}
	base, pass := os.Args[1], os.Args[2]
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("/usr/bin/chromium"), chromedp.WindowSize(1280, 800), chromedp.NoSandbox)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+"/login?lang=en"),
		chromedp.SendKeys(chromedp.CSS(`#username`), "demo-analyst"), chromedp.SendKeys(chromedp.CSS(`#password`), pass),
		chromedp.Submit(chromedp.CSS(`#password`)), chromedp.WaitVisible(chromedp.CSS(`main`)))
	fields := map[string]string{"f-place-name": "Sost dry port", "f-country": "PK", "f-direction": "import", "f-transport_mode": "road",
		"f-detection_method": "xray", "f-concealment": "false_compartment", "f-goods-0-category": "narcotics", "f-goods-0-hs": "999999",
		"f-goods-0-description": "heroin in a fuel tank", "f-goods-0-quantity": "4", "f-goods-0-unit": "kg",
		"f-identifiers-0-type": "vehicle_plate", "f-identifiers-0-value": "GLT-2231", "f-narrative": "Found behind a welded plate.",
		"f-distribution": "partners", "f-recipients": "cn-customs", "f-marking-tlp": "amber", "f-marking-handling": "H1"}
	acts := []V{chromedp.Navigate(base + "/seizures/new"), chromedp.WaitVisible(chromedp.CSS(`form`))}
	for id, v := range fields {
		acts = append(acts, chromedp.SetValue(chromedp.CSS("#"+id), v))
	}
	acts = append(acts, chromedp.Click(chromedp.CSS(`button[name="save"]`)), chromedp.WaitVisible(chromedp.CSS(`#f-goods-0-hs-error`)),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f-goods-0-hs").scrollIntoView({block: "center"})`))
	shot(ctx, "seizure-form", acts...)
	do(ctx, chromedp.Navigate(base+"/targeting?channel=red#queue"), chromedp.WaitVisible(chromedp.CSS(`#queue`)))
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("table.queue tbody tr:has(.reason-profile) th a") || document.querySelector("table.queue tbody tr th a")).getAttribute("href")`))
	if err != nil {
		panic(err)
	}
	shot(ctx, "targeting-decision", chromedp.Navigate(base+href), chromedp.WaitVisible(chromedp.CSS(`main`)))
	do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`#peers`)))
	h, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollHeight`))
	if err != nil {
		panic(err)
	}
	shot(ctx, "dashboard", chromedp.EmulateViewport(1280, int64(h)))
	do(ctx, chromedp.EmulateViewport(1280, 800))
	shot(ctx, "dashboard-ur", chromedp.Navigate(base+"/?lang=ur"), chromedp.WaitVisible(chromedp.CSS(`#peers`)))
}
