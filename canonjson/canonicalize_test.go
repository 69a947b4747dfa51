package canonjson

import (
	"errors"
	"math"
	"testing"
)

// TestCanonicalizeSortingExample is the member-sorting example of RFC 8785
// §3.2.3: names compare as UTF-16 code units, so the emoji (a surrogate
// pair) sorts before U+FB33.
func TestCanonicalizeSortingExample(t *testing.T) {
	in := `{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`
	want := "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\"," +
		"\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\"," +
		"\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}"
	got, err := Canonicalize([]byte(in))
	if err != nil {
		t.Fatalf("Canonicalize: %v", err)
	}
	if string(got) != want {
		t.Errorf("Canonicalize =\n%s\nwant\n%s", got, want)
	}
}

// TestCanonicalize checks whole documents, including the example of RFC 8785
// §3.2.2.
func TestCanonicalize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "RFC 8785 section 3.2.2 example",
			in: `{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`,
			want: `{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
		},
		{"whitespace removed", " [ 1 , { \"a\" : [ ] } , { } ]\n", `[1,{"a":[]},{}]`},
		{"nested objects sorted", `{"b":{"z":1,"y":2},"a":[{"d":0,"c":0}]}`, `{"a":[{"c":0,"d":0}],"b":{"y":2,"z":1}}`},
		{"html characters literal", `"\u003c\u003e\u0026<>&"`, `"<>&<>&"`},
		{"line separators literal", `"\u2028\u2029"`, "\"\u2028\u2029\""},
		{"control characters escaped", `"\u0000\u0001\u001f\u0008\u000c\t\u007f"`, "\"\\u0000\\u0001\\u001f\\b\\f\\t\u007f\""},
		{"solidus unescaped", `"\/"`, `"/"`},
		{"replacement character kept", `"\ufffd"`, "\"\ufffd\""},
		{"surrogate pair decoded", `"\uD83D\uDE00"`, `"😀"`},
		{"escaped backslash before u", `"\\ud800"`, `"\\ud800"`},
		{"literals", `[true,false,null]`, `[true,false,null]`},
		{"top-level string", `"x"`, `"x"`},
		{"prefix keys sort shorter first", `{"ab":1,"a":2,"":3}`, `{"":3,"a":2,"ab":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonicalize([]byte(tt.in))
			if err != nil {
				t.Fatalf("Canonicalize(%s): %v", tt.in, err)
			}
			if string(got) != tt.want {
				t.Errorf("Canonicalize(%s) =\n%s\nwant\n%s", tt.in, got, tt.want)
			}
		})
	}
}

// TestCanonicalizeRejects checks that input without a canonical form is
// refused with the error that names the fault.
func TestCanonicalizeRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", ``, ErrInvalidJSON},
		{"whitespace only", `  `, ErrInvalidJSON},
		{"truncated object", `{"a":1`, ErrInvalidJSON},
		{"truncated array", `[1,`, ErrInvalidJSON},
		{"missing colon", `{"a" 1}`, ErrInvalidJSON},
		{"non-string key", `{1:2}`, ErrInvalidJSON},
		{"trailing comma", `[1,]`, ErrInvalidJSON},
		{"mismatched close", `[1}`, ErrInvalidJSON},
		{"two values", `1 2`, ErrInvalidJSON},
		{"trailing garbage", `{}x`, ErrInvalidJSON},
		{"leading zero", `01`, ErrInvalidJSON},
		{"NaN literal", `NaN`, ErrInvalidJSON},
		{"single quotes", `'a'`, ErrInvalidJSON},
		{"raw control character", "\"a\nb\"", ErrInvalidJSON},
		{"duplicate key", `{"a":1,"a":2}`, ErrDuplicateKey},
		{"duplicate key by escape", `{"a":1,"\u0061":2}`, ErrDuplicateKey},
		{"nested duplicate key", `[{"x":{"k":1,"k":1}}]`, ErrDuplicateKey},
		{"overflow", `1e400`, ErrNumberRange},
		{"negative overflow", `[-1e309]`, ErrNumberRange},
		{"invalid UTF-8 in string", "\"\xff\"", ErrInvalidString},
		{"overlong UTF-8", "\"\xc0\xaf\"", ErrInvalidString},
		{"lone high surrogate", `"\ud800"`, ErrInvalidString},
		{"lone high surrogate at end", `"a\uD83D"`, ErrInvalidString},
		{"lone low surrogate", `"\udc00"`, ErrInvalidString},
		{"high followed by high", `"\ud800\ud800"`, ErrInvalidString},
		{"high followed by text", `"\ud800abcdef"`, ErrInvalidString},
		{"lone surrogate in key", `{"\ude00":1}`, ErrInvalidString},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonicalize([]byte(tt.in))
			if err == nil {
				t.Fatalf("Canonicalize(%q) = %s, want error", tt.in, got)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Canonicalize(%q) error = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

// TestCanonicalizeDeepNesting checks that nesting is bounded rather than
// exhausting the stack.
func TestCanonicalizeDeepNesting(t *testing.T) {
	ok := make([]byte, 0, 2*maxDepth)
	for range maxDepth {
		ok = append(ok, '[')
	}
	for range maxDepth {
		ok = append(ok, ']')
	}
	if _, err := Canonicalize(ok); err != nil {
		t.Errorf("Canonicalize(depth %d): %v", maxDepth, err)
	}
	tooDeep := append([]byte{'['}, ok...)
	tooDeep = append(tooDeep, ']')
	if _, err := Canonicalize(tooDeep); !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("Canonicalize(depth %d) error = %v, want %v", maxDepth+1, err, ErrInvalidJSON)
	}
}

// TestMarshal checks that Go values come out canonical, undoing the HTML
// escaping that encoding/json applies.
func TestMarshal(t *testing.T) {
	type envelope struct {
		Zeta    string         `json:"zeta"`
		Alpha   float64        `json:"alpha"`
		Payload map[string]any `json:"payload"`
	}
	tests := []struct {
		name string
		in   any
		want string
	}{
		{
			name: "struct fields sorted",
			in:   envelope{Zeta: "<a&b>\u2028", Alpha: 1e21, Payload: map[string]any{"n": math.Copysign(0, -1), "b": []int{3, 1}}},
			want: "{\"alpha\":1e+21,\"payload\":{\"b\":[3,1],\"n\":0},\"zeta\":\"<a&b>\u2028\"}",
		},
		{"nil", nil, `null`},
		{"float", 1.0 / 3, `0.3333333333333333`},
		{"int64 beyond 2^53", int64(9007199254740993), `9007199254740992`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Marshal(tt.in)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestMarshalError checks that encoding/json failures are reported.
func TestMarshalError(t *testing.T) {
	if _, err := Marshal(math.Inf(1)); err == nil {
		t.Error("Marshal(+Inf) succeeded, want error")
	}
}
