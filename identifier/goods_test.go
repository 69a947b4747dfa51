package identifier

import (
	"errors"
	"slices"
	"testing"
)

func TestGoodsTokens(t *testing.T) {
	tests := []struct {
		name, description, hs string
		want                  []string
		wantErr               bool
	}{
		{"words and HS levels", "Heroin in 25 packets of white powder", "293911",
			[]string{"heroin", "packets", "white", "powder", "hs:29", "hs:2939", "hs:293911"}, false},
		{"national code gives the HS levels only", "Cigarettes", "2402200000",
			[]string{"cigarettes", "hs:24", "hs:2402", "hs:240220"}, false},
		{"heading", "Ephedrine", "2939", []string{"ephedrine", "hs:29", "hs:2939"}, false},
		{"no HS code", "COCAINE, cocaine", "", []string{"cocaine"}, false},
		{"fullwidth and Urdu", "ＨＡＳＨＩＳＨ چرس", "", []string{"hashish", "چرس"}, false},
		{"numbers and stop words only", "the 25 of 100", "", nil, false},
		{"invalid HS code", "heroin", "2999", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := GoodsTokens(tt.description, tt.hs)
			if tt.wantErr {
				var e *Error
				if !errors.As(err, &e) || e.Type != Goods {
					t.Fatalf("GoodsTokens(%q, %q) = %v, %v; want an *Error", tt.description, tt.hs, got, err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("GoodsTokens(%q, %q) = %q, %v; want %q", tt.description, tt.hs, got, err, tt.want)
			}
			for _, tok := range got {
				if canon, err := Normalize(Goods, tok); err != nil || canon != tok {
					t.Errorf("token %q normalises to %q, %v; every token must be a canonical goods value", tok, canon, err)
				}
			}
		})
	}
}
