package refdata

import (
	"slices"
	"strings"
	"testing"
)

// codes returns the codes of es, in order.
func codes(es []HSEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Code
	}
	return out
}

func TestSearchHS(t *testing.T) {
	tests := []struct {
		name  string
		q     string
		limit int
		want  []string
	}{
		{"digits: heading and its subheadings in code order", "29391", 0, []string{"293911", "293919"}},
		{"digits with dot", "2939.1", 0, []string{"293911", "293919"}},
		{"digits with spaces around", " 2939.1 ", 0, []string{"293911", "293919"}},
		{"digits: exact subheading", "293911", 0, []string{"293911"}},
		{"digits: chapter first, limited", "29", 3, []string{"29", "2901", "290110"}},
		{"digits: leading zero", "0101", 0, []string{"0101", "010121", "010129", "010130", "010190"}},
		{"digits: nothing", "2999", 0, nil},
		{"digits: national code finds nothing", "2939119900", 0, nil},
		{"word", "opium", 0, []string{"130211", "293911", "293919"}},
		{"words in any order and case", "OPIUM alkaloids", 0, []string{"293911", "293919"}},
		{"words split at punctuation", "opium;alkaloids", 0, []string{"293911", "293919"}},
		{"heading before subheadings", "horses live", 0, []string{"0101", "010121", "010129"}},
		{"partial word matches", "firearm", 4, []string{"9303", "9304", "9305", "930310"}},
		{"whole-word matches before partial ones", "salt", 5, []string{"25", "2501", "250100", "293145", "0209"}},
		{"word not in the nomenclature", "heroin", 0, nil},
		{"one word missing", "opium cocaine", 0, nil},
		{"empty", "", 0, nil},
		{"blank", "   ", 0, nil},
		{"punctuation only", ".;-", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := codes(SearchHS(tt.q, tt.limit))
			if !slices.Equal(got, tt.want) {
				t.Errorf("SearchHS(%q, %d) = %v, want %v", tt.q, tt.limit, got, tt.want)
			}
		})
	}
}

func TestSearchHSExactWordsFirst(t *testing.T) {
	// Results matching "salt" as a whole word must all come before those
	// matching it only inside a longer word ("salts"), and each group must
	// be in level, then code order.
	got := SearchHS("salt", MaxSearchLimit)
	if len(got) == 0 {
		t.Fatal("SearchHS(salt) found nothing")
	}
	seenPartial := false
	for i, e := range got {
		exact := slices.Contains(splitWords(strings.ToLower(e.Description)), "salt")
		if exact && seenPartial {
			t.Fatalf("result %d (%s) matches \"salt\" as a whole word but follows a partial match", i, e.Code)
		}
		if !exact {
			seenPartial = true
		}
		if i > 0 && exact == slices.Contains(splitWords(strings.ToLower(got[i-1].Description)), "salt") {
			prev := got[i-1]
			if prev.Level > e.Level || (prev.Level == e.Level && prev.Code >= e.Code) {
				t.Fatalf("results %s then %s are not in level, then code order", prev.Code, e.Code)
			}
		}
	}
	if !seenPartial {
		t.Error("expected some partial matches of \"salt\" (e.g. \"salts\")")
	}
}

func TestContainsWord(t *testing.T) {
	tests := []struct {
		name, s, w string
		want       bool
	}{
		{"alone", "salt", "salt", true},
		{"at start", "salt; sulphur", "salt", true},
		{"at end", "table salt", "salt", true},
		{"in parentheses", "(salt)", "salt", true},
		{"only as prefix", "salts", "salt", false},
		{"only as suffix", "basalt", "salt", false},
		{"second occurrence whole", "salts and salt", "salt", true},
		{"next to digit", "salt2", "salt", false},
		{"next to non-ASCII letter", "salté", "salt", false},
		{"absent", "sugar", "salt", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := containsWord(tt.s, tt.w); got != tt.want {
				t.Errorf("containsWord(%q, %q) = %v, want %v", tt.s, tt.w, got, tt.want)
			}
		})
	}
}

func TestSearchHSLimits(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		want  int
	}{
		{"zero means default", 0, DefaultSearchLimit},
		{"negative means default", -5, DefaultSearchLimit},
		{"small", 7, 7},
		{"capped", 10000, MaxSearchLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(SearchHS("0", tt.limit)); got != tt.want {
				t.Errorf("len(SearchHS(\"0\", %d)) = %d, want %d", tt.limit, got, tt.want)
			}
			if got := len(SearchHS("of", tt.limit)); got != tt.want {
				t.Errorf("len(SearchHS(\"of\", %d)) = %d, want %d", tt.limit, got, tt.want)
			}
		})
	}
}

func TestSearchHSReturnsCopies(t *testing.T) {
	got := SearchHS("293911", 1)
	got[0].Description = "changed"
	if e, _ := HS("293911"); e.Description == "changed" {
		t.Error("changing a search result changed the table")
	}
}

func BenchmarkSearchHS(b *testing.B) {
	for _, q := range []string{"29", "a", "alkaloids opium", "firearms"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				SearchHS(q, 20)
			}
		})
	}
}
