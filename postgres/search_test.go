package postgres

import "testing"

// TestSearchQuery checks that queries become tsqueries of quoted, folded
// words, whatever the punctuation.
func TestSearchQuery(t *testing.T) {
	cases := []struct {
		name, query, want string
	}{
		{"one word", "heroin", "'heroin'"},
		{"words are joined with and", "Heroin  truck", "'heroin' & 'truck'"},
		{"diacritics are removed", "Café HÉROÏNE", "'cafe' & 'heroine'"},
		{"punctuation separates words", `driver's "cabin"(false)floor`, "'driver' & 's' & 'cabin' & 'false' & 'floor'"},
		{"operators are words", "heroin & !truck | NOT:*", "'heroin' & 'truck' & 'not'"},
		{"quotes and backslashes vanish", `it\'s'`, "'it' & 's'"},
		{"digits are words", "7.62 mm", "'7' & '62' & 'mm'"},
		{"non-Latin scripts", "Ящики 茶叶", "'ящики' & '茶叶'"},
		{"no words", ` !!! ... --- "" ' * ( ) : ^ `, ""},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := searchQuery(c.query); got != c.want {
				t.Errorf("searchQuery(%q) = %q, want %q", c.query, got, c.want)
			}
		})
	}
}
