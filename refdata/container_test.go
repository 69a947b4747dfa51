package refdata

import (
	"regexp"
	"testing"
)

func TestCheckContainer(t *testing.T) {
	tests := []struct {
		name, number, wantErr string
	}{
		{"standard example", "CSQU3054383", ""},
		{"Maersk", "MSKU9070323", ""},
		{"MSC", "MSCU1234566", ""},
		{"check digit from remainder 10 is 0", "MSKU9070320", `"MSKU9070320": check digit is 0, expected 3`},
		{"category J", "ABCJ0000004", ""},
		{"category Z", "ABCZ1234564", ""},
		{"wrong check digit", "CSQU3054384", `"CSQU3054384": check digit is 4, expected 3`},
		{"empty", "", "container number is empty"},
		{"lower case", "csqu3054383", `"csqu3054383" must be written upper case without spaces or hyphens: "CSQU3054383"`},
		{"spaces", "CSQU 305438 3", `"CSQU 305438 3" must be written upper case without spaces or hyphens: "CSQU3054383"`},
		{"hyphens", "CSQU-305438-3", `"CSQU-305438-3" must be written upper case without spaces or hyphens: "CSQU3054383"`},
		{"lower case and wrong check digit", "csqu3054384", `"csqu3054384": owner code "csq" must be 3 upper-case letters A-Z`},
		{"spaces and wrong check digit", "CSQU 305438 4", `"CSQU 305438 4" must be 11 characters, 4 letters, 6 digits and a check digit, without spaces or hyphens, as in "CSQU3054383"`},
		{"too short", "CSQU305438", `"CSQU305438" must be 11 characters, 4 letters, 6 digits and a check digit, without spaces or hyphens, as in "CSQU3054383"`},
		{"too long", "CSQU30543833", `"CSQU30543833" must be 11 characters, 4 letters, 6 digits and a check digit, without spaces or hyphens, as in "CSQU3054383"`},
		{"bad category", "CSQX3054383", `"CSQX3054383": category identifier is "X", expected U, J or Z`},
		{"category R is not ISO 6346", "CSQR3054383", `"CSQR3054383": category identifier is "R", expected U, J or Z`},
		{"digit in owner code", "C5QU3054383", `"C5QU3054383": owner code "C5Q" must be 3 upper-case letters A-Z`},
		{"letter in serial", "CSQU30543A3", `"CSQU30543A3": serial number "30543A" must be 6 digits`},
		{"letter as check digit", "CSQU305438X", `"CSQU305438X": check digit "X" must be a digit`},
		{"non-ASCII", "CSQU30543８3", `"CSQU30543８3" must be 11 characters, 4 letters, 6 digits and a check digit, without spaces or hyphens, as in "CSQU3054383"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertErr(t, "CheckContainer", tt.number, CheckContainer(tt.number), tt.wantErr)
		})
	}
}

func TestContainerLetterValues(t *testing.T) {
	// ISO 6346: A=10 upwards, skipping multiples of 11.
	v := 10
	for c := byte('A'); c <= 'Z'; c++ {
		if v%11 == 0 {
			v++
		}
		if got := containerLetterValues[c-'A']; got != v {
			t.Errorf("value of %c = %d, want %d", c, got, v)
		}
		v++
	}
}

var containerFormat = regexp.MustCompile(`^[A-Z]{3}[UJZ][0-9]{7}$`)

func FuzzCheckContainer(f *testing.F) {
	for _, s := range []string{"CSQU3054383", "CSQU3054384", "csqu3054383", "CSQU 305438 3", "CSQX3054383", "", "ÅSQU3054383"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, number string) {
		err := CheckContainer(number)
		if err == nil {
			if !containerFormat.MatchString(number) {
				t.Fatalf("CheckContainer(%q) = nil for a badly formed number", number)
			}
			// Recompute the check digit the slow way, straight from ISO 6346.
			sum := 0
			for i := 0; i < 10; i++ {
				c := number[i]
				v := int(c - '0')
				if i < 4 {
					v = 10
					for l := byte('A'); l < c; l++ {
						if v++; v%11 == 0 {
							v++
						}
					}
				}
				sum += v * (1 << i)
			}
			if want := byte('0' + sum%11%10); number[10] != want {
				t.Fatalf("CheckContainer(%q) = nil, but the check digit should be %c", number, want)
			}
		} else if err.Error() == "" {
			t.Fatalf("CheckContainer(%q) returned an empty message", number)
		}
	})
}

func TestCompleteContainer(t *testing.T) {
	got, err := CompleteContainer("CSQU305438")
	if err != nil || got != "CSQU3054383" {
		t.Fatalf("CompleteContainer = %q, %v; want CSQU3054383", got, err)
	}
	for _, bad := range []string{"CSQ305438", "CSQX305438", "csqu305438", "CSQU30543A"} {
		if _, err := CompleteContainer(bad); err == nil {
			t.Errorf("CompleteContainer(%q) accepted", bad)
		}
	}
}

func TestCompleteIMO(t *testing.T) {
	got, err := CompleteIMO("907472")
	if err != nil || got != "IMO9074729" {
		t.Fatalf("CompleteIMO = %q, %v; want IMO9074729", got, err)
	}
	if _, err := CompleteIMO("90747"); err == nil {
		t.Error("five digits accepted")
	}
}
