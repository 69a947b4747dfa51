package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"crossguard/internal/browsertest"
)

// tabbable lists, into window.tabbable, the controls of the page that
// Tab should reach, in document order (the pages use no positive
// tabindex): links, buttons, fields and elements with tabindex 0 that are
// rendered and not disabled. It returns a short name of each. It then
// puts the focus on the document itself, so that the next Tab starts from
// the top of the page.
const tabbable = `(() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])';
  window.tabbable = [...document.querySelectorAll(sel)].filter(el =>
    !el.disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden");
  const h = document.documentElement;
  h.tabIndex = -1;
  h.focus();
  h.removeAttribute("tabindex");
  return window.tabbable.map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.name ? "[" + el.name + "]" : "") + (el.tagName === "A" ? "(" + el.getAttribute("href") + ")" : ""));
})()`

// focused reports where the focus is, as an index into window.tabbable
// (-1 when elsewhere), and whether the focused element shows a focus
// indicator: an outline or a box shadow; and whether it is a field that
// Tab moves through in parts (a date or a time).
const focused = `(() => {
  const el = document.activeElement;
  const cs = getComputedStyle(el);
  const ring = (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== "none";
  const parts = el.tagName === "INPUT" && /^(date|time|datetime-local|month|week)$/.test(el.type);
  return {index: window.tabbable.indexOf(el), ring: ring, parts: parts};
})()`

// focusState is the result of focused.
type focusState struct {
	Index int  `json:"index"`
	Ring  bool `json:"ring"`
	Parts bool `json:"parts"`
}

// TestBrowserKeyboard moves through the sign-in form and the seizure form
// (with refused fields shown) with the Tab key alone in headless
// Chromium: each Tab reaches the next control in document order, none is
// skipped, and the focused control has a visible focus indicator.
func TestBrowserKeyboard(t *testing.T) {
	b := browsertest.New(t)
	f := newFullNode(t)
	for _, c := range []struct {
		name, user, path string
		then             func(*testing.T, *browsertest.Browser)
	}{
		{name: "sign-in form", path: "/login"},
		{name: "seizure form", user: fullAnalyst, path: "/seizures/new", then: submitEmptySeizure},
	} {
		if c.user == "" {
			dropCookies(b)
		} else {
			signIn(t, b, f.srv.URL, c.user)
		}
		b.Load(chromedp.Navigate(f.srv.URL + c.path))
		if c.then != nil {
			c.then(t, b)
		}
		names := browsertest.Run(b, chromedp.Evaluate[[]string](tabbable))
		if len(names) < 3 {
			t.Fatalf("%s: only %d controls found: %q", c.name, len(names), names)
		}
		// A date or time field takes one Tab for each of its parts
		// (day, month, year, hour, minute) before the focus moves on.
		at := -1
		for i, name := range names {
			var got focusState
			for range 8 {
				b.Do(chromedp.KeyEvent(kb.Tab))
				got = browsertest.Run(b, chromedp.Evaluate[focusState](focused))
				if got.Index != at || !got.Parts {
					break
				}
			}
			if got.Index != i {
				where := "outside the list"
				if got.Index >= 0 {
					where = names[got.Index]
				}
				t.Errorf("%s: Tab reached %s, want %s (the order: %s)", c.name, where, name, strings.Join(names, " "))
				break
			}
			if !got.Ring {
				t.Errorf("%s: the focused %s has neither an outline nor a box shadow", c.name, name)
			}
			at = i
		}
	}
}

// narrowWidth is the width of a small phone's screen in CSS pixels, the
// width WCAG's reflow criterion (1.4.10) asks pages to fit without
// scrolling sideways.
const narrowWidth = 320

// TestBrowserNarrowScreen opens every page of a11yPages in English and
// Urdu in a window 320 CSS pixels wide in headless Chromium, and fails
// where the page is wider than the window (it would scroll sideways) or
// has an accessibility violation of serious or critical impact there
// (tables that scroll must then be reachable by keyboard).
func TestBrowserNarrowScreen(t *testing.T) {
	b := browsertest.New(t)
	f := newFullNode(t)
	user := "-"
	for _, lang := range []string{"en", "ur"} {
		for _, p := range a11yPages {
			if p.user != user {
				if p.user == "" {
					dropCookies(b)
				} else {
					signIn(t, b, f.srv.URL, p.user)
				}
				user = p.user
			}
			path := p.path(f)
			b.Do(chromedp.EmulateViewport(narrowWidth, 640))
			b.Load(chromedp.Navigate(f.srv.URL + withLang(path, lang)))
			if p.then != nil {
				p.then(t, b)
			}
			if inner := browsertest.Run(b, chromedp.Evaluate[int](`window.innerWidth`)); inner != narrowWidth {
				t.Fatalf("the window is %d px wide, want %d", inner, narrowWidth)
			}
			width := browsertest.Run(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if width > narrowWidth {
				wide := browsertest.Run(b, chromedp.Evaluate[[]string](widest))
				t.Errorf("%s (%s) %s: the page is %d px wide at %d; too wide: %q", p.name, lang, path, width, narrowWidth, wide)
				b.Screenshot("narrow-" + lang + "-" + p.name)
			}
			for _, v := range b.Axe(t) {
				t.Errorf("%s (%s) %s at %d px: %s", p.name, lang, path, narrowWidth, v)
			}
		}
	}
}

// widest names the elements that reach beyond the window's edges, for the
// message of a page that is too wide: those positioned out of the flow,
// and the outermost others that no box scrolls.
const widest = `(() => {
  const w = document.documentElement.clientWidth;
  const beyond = el => { const r = el.getBoundingClientRect(); return r.right > w + 0.5 || r.left < -0.5; };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!beyond(el)) continue;
    // An element positioned out of the flow may escape a scrolling box;
    // one in the flow counts when its parent fits and no box scrolls it.
    if (!/^(absolute|fixed)$/.test(getComputedStyle(el).position)) {
      if (el.parentElement && el.parentElement !== document.body && beyond(el.parentElement)) continue;
      let p = el.parentElement, scrolls = false;
      for (; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o !== "visible" && o !== "clip") { scrolls = true; break; }
      }
      if (scrolls) continue;
    }
    const r = el.getBoundingClientRect();
    out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className).trim().replace(/\s+/g, ".") : "") +
      " " + Math.round(r.left) + ".." + Math.round(r.right));
  }
  return out.slice(0, 8);
})()`
