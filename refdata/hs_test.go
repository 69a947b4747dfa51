package refdata

import (
	"strings"
	"testing"
)

func TestHS(t *testing.T) {
	tests := []struct {
		name string
		code string
		want HSEntry
	}{
		{"chapter", "29", HSEntry{Code: "29", Description: "Organic chemicals", Parent: "", Level: 2, Section: "VI", SectionName: "Products of the chemical or allied industries"}},
		{"heading", "2939", HSEntry{Code: "2939", Description: "Alkaloids; natural or reproduced by synthesis, and their salts, ethers, esters and other derivatives", Parent: "29", Level: 4, Section: "VI", SectionName: "Products of the chemical or allied industries"}},
		{"subheading", "293911", HSEntry{Code: "293911", Description: "Alkaloids; of opium and their derivatives; salts thereof", Parent: "2939", Level: 6, Section: "VI", SectionName: "Products of the chemical or allied industries"}},
		{"first chapter, section name capitalised", "01", HSEntry{Code: "01", Description: "Animals; live", Parent: "", Level: 2, Section: "I", SectionName: "Live animals; animal products"}},
		{"section name trailing space trimmed", "39", HSEntry{Code: "39", Description: "Plastics and articles thereof", Parent: "", Level: 2, Section: "VII", SectionName: "Plastics and articles thereof; rubber and articles thereof"}},
		{"leading zero kept", "010121", HSEntry{Code: "010121", Description: "Horses; live, pure-bred breeding animals", Parent: "0101", Level: 6, Section: "I", SectionName: "Live animals; animal products"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := HS(tt.code)
			if !ok {
				t.Fatalf("HS(%q) not found", tt.code)
			}
			if got != tt.want {
				t.Errorf("HS(%q) =\n %+v, want\n %+v", tt.code, got, tt.want)
			}
		})
	}
}

func TestHSNotFound(t *testing.T) {
	for _, code := range []string{"", "77", "99", "9999", "999999", "TOTAL", "2939119900", "2939.11", "1", "293"} {
		if e, ok := HS(code); ok {
			t.Errorf("HS(%q) = %+v, want not found", code, e)
		}
	}
}

func TestHSTable(t *testing.T) {
	tab := hsData()
	levels := map[int]int{}
	for i, e := range tab.entries {
		levels[e.Level]++
		if i > 0 && tab.entries[i-1].Code >= e.Code {
			t.Fatalf("entries out of order at %s", e.Code)
		}
		if e.Level == 2 && e.Parent != "" {
			t.Errorf("chapter %s has parent %q, want \"\"", e.Code, e.Parent)
		}
		if e.Description != strings.TrimSpace(e.Description) {
			t.Errorf("%s description not trimmed: %q", e.Code, e.Description)
		}
		if e.SectionName == "" {
			t.Errorf("%s has no section name", e.Code)
		}
	}
	// HS 2022: 96 chapters (77 is reserved), 1,228 headings; the data
	// package lists 5,612 subheadings.
	want := map[int]int{2: 96, 4: 1228, 6: 5612}
	for level, n := range want {
		if levels[level] != n {
			t.Errorf("%d entries of level %d, want %d", levels[level], level, n)
		}
	}
	if len(levels) != 3 {
		t.Errorf("levels %v, want only 2, 4 and 6", levels)
	}
}

func TestCheckHS(t *testing.T) {
	tests := []struct {
		name, code, wantErr string // wantErr "" means valid
	}{
		{"chapter", "29", ""},
		{"heading", "2939", ""},
		{"subheading", "293911", ""},
		{"subheading with leading zero", "010121", ""},
		{"national 8 digits", "29391100", ""},
		{"national 10 digits", "2939110000", ""},
		{"national 12 digits", "293911000000", ""},
		{"empty", "", "HS code is empty"},
		{"letter", "2939x1", `"2939x1" must contain digits only`},
		{"dotted", "2939.11", `"2939.11" must contain digits only`},
		{"space", " 293911", `" 293911" must contain digits only`},
		{"non-ASCII digit", "２９", `"２９" must contain digits only`},
		{"negative", "-29", `"-29" must contain digits only`},
		{"1 digit", "2", `"2" must have 2, 4, 6 or 8 to 12 digits`},
		{"3 digits", "293", `"293" must have 2, 4, 6 or 8 to 12 digits`},
		{"5 digits", "29391", `"29391" must have 2, 4, 6 or 8 to 12 digits`},
		{"7 digits", "2939110", `"2939110" must have 2, 4, 6 or 8 to 12 digits`},
		{"13 digits", "2939110000000", `"2939110000000" must have 2, 4, 6 or 8 to 12 digits`},
		{"reserved chapter 77", "77", `"77" is not an HS 2022 code`},
		{"chapter 99 of the data package", "99", `"99" is not an HS 2022 code`},
		{"unknown heading", "2999", `"2999" is not an HS 2022 code`},
		{"unknown subheading", "999999", `"999999" is not an HS 2022 code`},
		{"heading padded with zeros", "293900", `"293900" is not an HS 2022 code`},
		{"national 10 digits, opium alkaloids", "2939119900", ""},
		{"national code of missing subheading", "2939999900", `national code "2939999900": subheading "293999" is not in HS 2022`},
		{"national code of chapter 99", "99999999", `national code "99999999": subheading "999999" is not in HS 2022`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckHS(tt.code)
			assertErr(t, "CheckHS", tt.code, err, tt.wantErr)
		})
	}
}

func TestHSPrefixes(t *testing.T) {
	tests := []struct {
		name, code, hs2, hs4, hs6 string
	}{
		{"empty", "", "", "", ""},
		{"one digit", "2", "", "", ""},
		{"chapter", "29", "29", "", ""},
		{"three digits", "293", "29", "", ""},
		{"heading", "2939", "29", "2939", ""},
		{"subheading", "293911", "29", "2939", "293911"},
		{"national", "2939119900", "29", "2939", "293911"},
		{"not digits", "29x911", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs2, hs4, hs6 := HSPrefixes(tt.code)
			if hs2 != tt.hs2 || hs4 != tt.hs4 || hs6 != tt.hs6 {
				t.Errorf("HSPrefixes(%q) = %q, %q, %q; want %q, %q, %q", tt.code, hs2, hs4, hs6, tt.hs2, tt.hs4, tt.hs6)
			}
		})
	}
}

func TestParseHSPanics(t *testing.T) {
	const sections = "\ufeffsection,name\nI,live animals\nVI,Chemicals\n"
	const header = "section,hscode,description,parent,level\n"
	tests := []struct {
		name, sections, hs, want string
	}{
		{"bad header", sections, "section,code,description,parent,level\n", `header is ["section" "code" "description" "parent" "level"]`},
		{"wrong field count", sections, header + "VI,29,Organic chemicals,TOTAL\n", "wrong number of fields"},
		{"bad level", sections, header + "VI,29,Organic chemicals,TOTAL,3\n", `row 2: level "3" is not 2, 4 or 6`},
		{"code length", sections, header + "VI,290,Organic chemicals,TOTAL,2\n", `row 2: code "290" is not 2 digits`},
		{"wrong parent", sections, header + "VI,29,Organic,TOTAL,2\nVI,2939,Alkaloids,28,4\n", `row 3: code 2939 has parent "28", expected "29"`},
		{"missing parent", sections, header + "VI,2939,Alkaloids,29,4\n", "code 2939 has parent 29, which is missing"},
		{"unknown section", sections, header + "XL,29,Organic,TOTAL,2\n", `row 2: code 29 is in unknown section "XL"`},
		{"duplicate", sections, header + "VI,29,Organic,TOTAL,2\nVI,29,Organic,TOTAL,2\n", "row 3: code 29 appears twice"},
		{"empty description", sections, header + "VI,29, ,TOTAL,2\n", "row 2: code 29 has no description"},
		{"no codes", sections, header + "TOTAL,TOTAL,Total,TOTAL,5\n", "has no HS codes"},
		{"bad section", "section,name\n6,Chemicals\n", header, `hs2022/sections.csv, row 2: section "6" is not a roman numeral`},
		{"unterminated quote", sections, header + "VI,29,\"Organic,TOTAL,2\n", "hs2022/harmonized-system.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := panicMessage(func() { parseHS([]byte(tt.hs), []byte(tt.sections)) })
			if !strings.HasPrefix(msg, "refdata: embedded ") || !strings.Contains(msg, tt.want) {
				t.Errorf("panic %q, want one containing %q", msg, tt.want)
			}
		})
	}
}

func TestParseHSMinimal(t *testing.T) {
	tab := parseHS([]byte("section,hscode,description,parent,level\n"+
		"TOTAL,TOTAL,Total,TOTAL,5\nVI,2939,Alkaloids ,29,4\nVI,29,Organic chemicals,TOTAL,2\n"),
		[]byte("\ufeffsection,name\nVI,chemicals \n"))
	if len(tab.entries) != 2 || tab.entries[0].Code != "29" || tab.entries[1].Code != "2939" {
		t.Fatalf("entries %+v, want 29 then 2939", tab.entries)
	}
	if e := tab.entries[1]; e.Description != "Alkaloids" || e.SectionName != "Chemicals" || tab.index["2939"] != 1 {
		t.Errorf("entry %+v, index %v", e, tab.index)
	}
}

func FuzzCheckHS(f *testing.F) {
	for _, s := range []string{"29", "2939", "293911", "2939119900", "29391", "2939x1", "999999", "", "٢٩"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		err := CheckHS(code)
		if err == nil {
			n := len(code)
			if !allDigits(code) || !(n == 2 || n == 4 || n == 6 || (n >= 8 && n <= 12)) {
				t.Fatalf("CheckHS(%q) = nil for a badly formed code", code)
			}
			_, _, hs6 := HSPrefixes(code)
			key := code
			if n > 6 {
				key = hs6
			}
			if _, ok := HS(key); !ok {
				t.Fatalf("CheckHS(%q) = nil but HS(%q) is not found", code, key)
			}
		} else if err.Error() == "" {
			t.Fatalf("CheckHS(%q) returned an empty message", code)
		}
		// SearchHS must not panic on any input either.
		if got := SearchHS(code, 5); len(got) > 5 {
			t.Fatalf("SearchHS(%q, 5) returned %d entries", code, len(got))
		}
	})
}
