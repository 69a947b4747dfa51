package profiles

import (
	"fmt"
	"strings"
	"time"

	"crossguard"
)

// checkText reports why no valid declaration can have s in text field f
// (for eq and in), or nil.
func checkText(f *field, s string) error {
	switch {
	case len(s) > crossguard.MaxCodeBytes:
		return fmt.Errorf("%d bytes long: no declaration carries a %s longer than %d bytes", len(s), f.name, crossguard.MaxCodeBytes)
	case s == "" && f.required:
		return fmt.Errorf("empty, but no declaration leaves %s empty", f.name)
	case s == "":
		return nil
	}
	ok := true
	switch f.shape {
	case shapeDigits:
		ok = len(s) == f.width && allDigits(s)
	case shapeCountry:
		ok = len(s) == 2 && allCapitals(s)
	case shapeDate:
		_, err := time.Parse(time.DateOnly, s)
		ok = err == nil
	}
	if !ok {
		return fmt.Errorf("%q is not %s", s, f.about)
	}
	return nil
}

// checkPrefix reports why no valid declaration can have a text field f
// starting with p, or nil.
func checkPrefix(f *field, p string) error {
	switch {
	case p == "":
		return fmt.Errorf("an empty prefix holds for every declaration; drop the condition")
	case len(p) > crossguard.MaxCodeBytes:
		return fmt.Errorf("%d bytes long: no declaration carries a %s longer than %d bytes", len(p), f.name, crossguard.MaxCodeBytes)
	}
	switch f.shape {
	case shapeDigits:
		if !allDigits(p) {
			return fmt.Errorf("prefix %q is not digits: %s is %s", p, f.name, f.about)
		}
		if len(p) > f.width {
			return fmt.Errorf("prefix %q is longer than the %d digits of %s", p, f.width, f.name)
		}
	case shapeCountry:
		if len(p) > 2 || !allCapitals(p) {
			return fmt.Errorf("prefix %q cannot start %s: %s is %s", p, f.name, f.name, f.about)
		}
	case shapeDate:
		if !datePrefix(p) {
			return fmt.Errorf("prefix %q cannot start a date such as 2026-11-27", p)
		}
	}
	return nil
}

// datePrefix reports whether some valid YYYY-MM-DD date starts with p.
func datePrefix(p string) bool {
	if len(p) > len(time.DateOnly) {
		return false
	}
	if len(p) < 4 {
		return allDigits(p)
	}
	if !allDigits(p[:4]) {
		return false
	}
	year := int(p[0]-'0')*1000 + int(p[1]-'0')*100 + int(p[2]-'0')*10 + int(p[3]-'0')
	for t := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); t.Year() == year; t = t.AddDate(0, 0, 1) {
		if strings.HasPrefix(t.Format(time.DateOnly), p) {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allCapitals(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
