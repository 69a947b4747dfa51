package identifier

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// spellings are values of every type in the ways people write them, valid
// and not, the seeds of the idempotence property and of FuzzNormalize.
var spellings = []string{
	"CSQU3054383", "cosu 109952-1", "ＣＳＱＵ３０５４３８３", "CSQU3054384",
	"IMO 9074729", "9074729", "imo9074729",
	"PK 0301", "pia301", "U2 1234", "PK 301a",
	"176-12345675", "589 8114074 3",
	"RR 473 124 829 GB", "EE471108151FR",
	"MAEU 123456789",
	"PK LEA-1234", "pk:lea 1234", "CN 京A·12345", "PK:لاہور ۱۲۳۴", "RU а123вс77",
	"DE:HRB 12345", "TR:İstanbul 34", "GR:ΣΊΣΥΦΟΣ ς1",
	"Heroin", "hs:2939", "ﬃ", "ǅ", "ß",
	"", " ", "\u200f", "PK:", "hs:", "IMOIMO",
}

// TestNormalizeIdempotent checks, for every type and spelling, and for
// random variants of them, that a canonical value normalises to itself.
func TestNormalizeIdempotent(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	values := append([]string(nil), spellings...)
	for range 2000 {
		values = append(values, mutate(rng, spellings[rng.IntN(len(spellings))]))
	}
	for _, typ := range Types() {
		for _, v := range values {
			checkIdempotent(t, typ, v)
		}
	}
}

// mutate changes s the way typing does: a case flip, a separator put in,
// a character dropped or doubled.
func mutate(rng *rand.Rand, s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return " "
	}
	i := rng.IntN(len(r))
	switch rng.IntN(4) {
	case 0:
		return strings.ToLower(s)
	case 1:
		return string(r[:i]) + string(" -./:"[rng.IntN(5)]) + string(r[i:])
	case 2:
		return string(r[:i]) + string(r[i+1:])
	default:
		return string(r[:i+1]) + string(r[i:])
	}
}

// checkIdempotent fails unless Normalize(typ, v), when it succeeds, gives a
// value that normalises to itself and that Parse reads back.
func checkIdempotent(t *testing.T, typ, v string) {
	t.Helper()
	canon, err := Normalize(typ, v)
	if err != nil {
		return
	}
	if again, err := Normalize(typ, canon); err != nil || again != canon {
		t.Fatalf("Normalize(%s, %q) = %q but Normalize(%s, %q) = %q, %v", typ, v, canon, typ, canon, again, err)
	}
	if id, err := Parse(typ + ":" + canon); err != nil || id != (Identifier{typ, canon}) {
		t.Fatalf("Parse(%q) = %v, %v; want %s:%s", typ+":"+canon, id, err, typ, canon)
	}
}

// FuzzNormalize checks that Normalize never panics, that what it accepts
// normalises to itself and reads back through Parse, and that every
// candidate of a query is canonical. Run it with
//
//	go test -run '^$' -fuzz=FuzzNormalize -fuzzminimizetime=10x ./identifier/
//
// Without the limit on minimising, the fuzzer spends up to a minute on each
// new input it finds, showing "0/sec" meanwhile (golang/go#51484).
func FuzzNormalize(f *testing.F) {
	for i, s := range spellings {
		f.Add(uint8(i), s)
	}
	// Load refdata's tables before fuzzing: the first use parses them, and
	// coverage that only a first call reaches would make the fuzzer try
	// in vain to reproduce it when it minimises an input.
	GoodsTokens("heroin", "293911")
	Candidates("PK:LEA1234 RR473124829GB")
	all := append(Types(), "passport", "unknown")
	f.Fuzz(func(t *testing.T, which uint8, v string) {
		checkIdempotent(t, all[int(which)%len(all)], v)
		if len(v) > 4*MaxValueBytes {
			return // longer queries add nothing but time to each run
		}
		for _, id := range Candidates(v) {
			if canon, err := Normalize(id.Type, id.Value); err != nil || canon != id.Value {
				t.Fatalf("Candidates(%q) gave %v, which normalises to %q, %v", v, id, canon, err)
			}
		}
	})
}
