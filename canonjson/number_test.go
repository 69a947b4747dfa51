package canonjson

import (
	"math"
	"testing"
)

// TestAppendFloatAppendixB checks the IEEE 754 bit patterns and expected
// serializations of RFC 8785 Appendix B.
func TestAppendFloatAppendixB(t *testing.T) {
	tests := []struct {
		bits uint64
		want string
	}{
		{0x0000000000000000, "0"},
		{0x8000000000000000, "0"},
		{0x0000000000000001, "5e-324"},
		{0x8000000000000001, "-5e-324"},
		{0x7fefffffffffffff, "1.7976931348623157e+308"},
		{0xffefffffffffffff, "-1.7976931348623157e+308"},
		{0x4340000000000000, "9007199254740992"},
		{0xc340000000000000, "-9007199254740992"},
		{0x4430000000000000, "295147905179352830000"},
		{0x44b52d02c7e14af5, "9.999999999999997e+22"},
		{0x44b52d02c7e14af6, "1e+23"},
		{0x44b52d02c7e14af7, "1.0000000000000001e+23"},
		{0x444b1ae4d6e2ef4e, "999999999999999700000"},
		{0x444b1ae4d6e2ef4f, "999999999999999900000"},
		{0x444b1ae4d6e2ef50, "1e+21"},
		{0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
		{0x3eb0c6f7a0b5ed8d, "0.000001"},
		{0x41b3de4355555553, "333333333.3333332"},
		{0x41b3de4355555554, "333333333.33333325"},
		{0x41b3de4355555555, "333333333.3333333"},
		{0x41b3de4355555556, "333333333.3333334"},
		{0x41b3de4355555557, "333333333.33333343"},
		{0xbecbf647612f3696, "-0.0000033333333333333333"},
		{0x43143ff3c1cb0959, "1424953923781206.2"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			f := math.Float64frombits(tt.bits)
			if got := string(appendFloat(nil, f)); got != tt.want {
				t.Errorf("appendFloat(%016x) = %s, want %s", tt.bits, got, tt.want)
			}
		})
	}
}

// TestCanonicalizeNumbers checks number literals as they arrive in JSON text,
// including the layout boundaries of Number.prototype.toString.
func TestCanonicalizeNumbers(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"zero", "0", "0"},
		{"negative zero", "-0", "0"},
		{"negative zero float", "-0.0e5", "0"},
		{"one", "1", "1"},
		{"minus one", "-1", "-1"},
		{"integral float drops fraction", "1.0", "1"},
		{"trailing zeros dropped", "4.50", "4.5"},
		{"1e21 uses exponent", "1e21", "1e+21"},
		{"1e20 plain", "1e20", "100000000000000000000"},
		{"1e-6 plain", "1e-6", "0.000001"},
		{"0.000001 plain", "0.000001", "0.000001"},
		{"1e-7 uses exponent", "1e-7", "1e-7"},
		{"large integer shortest digits", "123456789012345680000", "123456789012345680000"},
		{"large integer exact spelling", "123456789012345678901", "123456789012345680000"},
		{"smallest subnormal", "5e-324", "5e-324"},
		{"largest double", "1.7976931348623157e308", "1.7976931348623157e+308"},
		{"beyond 2^53 rounds", "9007199254740993", "9007199254740992"},
		{"one tenth", "0.1", "0.1"},
		{"one third", "0.3333333333333333", "0.3333333333333333"},
		{"one third overlong", "0.33333333333333333333333", "0.3333333333333333"},
		{"upper-case exponent", "1E30", "1e+30"},
		{"small fraction", "2e-3", "0.002"},
		{"tiny", "0.000000000000000000000000001", "1e-27"},
		{"mantissa digits with exponent", "1.5e-9", "1.5e-9"},
		{"underflow rounds to zero", "1e-400", "0"},
		{"negative exponent form", "-1.25e+25", "-1.25e+25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonicalize([]byte(tt.in))
			if err != nil {
				t.Fatalf("Canonicalize(%s): %v", tt.in, err)
			}
			if string(got) != tt.want {
				t.Errorf("Canonicalize(%s) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

// TestAppendFloatOneThird checks a computed value rather than a literal.
func TestAppendFloatOneThird(t *testing.T) {
	third := 1.0
	third /= 3
	if got, want := string(appendFloat(nil, third)), "0.3333333333333333"; got != want {
		t.Errorf("appendFloat(1/3) = %s, want %s", got, want)
	}
}
