package canonjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// Errors reported by Canonicalize, wrapped with details of where the input is
// at fault; test for them with errors.Is.
var (
	// ErrInvalidJSON reports input that is not a single well-formed JSON value.
	ErrInvalidJSON = errors.New("invalid JSON")
	// ErrDuplicateKey reports an object with two members of the same name,
	// which RFC 8785 forbids because their order would be ambiguous.
	ErrDuplicateKey = errors.New("duplicate object key")
	// ErrNumberRange reports a number whose magnitude exceeds the largest
	// IEEE 754 double, such as 1e400.
	ErrNumberRange = errors.New("number is not an IEEE 754 double")
	// ErrInvalidString reports a string holding invalid UTF-8 or an escaped
	// lone surrogate, neither of which has a canonical form.
	ErrInvalidString = errors.New("invalid string")
)

// maxDepth bounds the nesting of arrays and objects, matching the limit of
// encoding/json, so that hostile input cannot exhaust the stack.
const maxDepth = 10000

// Canonicalize returns the RFC 8785 canonical form of the JSON text in, or an
// error naming what is wrong: invalid JSON, a duplicate object key, a number
// that is not an IEEE 754 double, or invalid UTF-8 or a lone surrogate in a
// string.
func Canonicalize(in []byte) ([]byte, error) {
	if !utf8.Valid(in) {
		return nil, fmt.Errorf("canonjson: %w: input is not valid UTF-8", ErrInvalidString)
	}
	if err := checkSurrogates(in); err != nil {
		return nil, fmt.Errorf("canonjson: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.UseNumber()
	out, err := appendValue(nil, dec, 0)
	if err != nil {
		return nil, fmt.Errorf("canonjson: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("canonjson: %w: data after the top-level value at offset %d", ErrInvalidJSON, dec.InputOffset())
	}
	return out, nil
}

// Marshal encodes v with encoding/json and returns the canonical form of the
// result, so that Go values can be signed without a second encoding step.
func Marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("canonjson: marshal: %w", err)
	}
	return Canonicalize(b)
}

// member is one object member: its name as UTF-16 code units for sorting,
// and its name and value already in canonical form.
type member struct {
	units []uint16
	name  string
	value []byte
}

// appendValue reads the next JSON value from dec and appends its canonical
// form to buf.
func appendValue(buf []byte, dec *json.Decoder, depth int) ([]byte, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxError(err)
	}
	switch t := tok.(type) {
	case nil:
		return append(buf, "null"...), nil
	case bool:
		if t {
			return append(buf, "true"...), nil
		}
		return append(buf, "false"...), nil
	case string:
		return appendString(buf, t), nil
	case json.Number:
		return appendNumber(buf, string(t))
	case json.Delim:
		if depth >= maxDepth {
			return nil, fmt.Errorf("%w: nesting deeper than %d", ErrInvalidJSON, maxDepth)
		}
		switch t {
		case '[':
			return appendArray(buf, dec, depth+1)
		case '{':
			return appendObject(buf, dec, depth+1)
		}
	}
	return nil, fmt.Errorf("%w: unexpected %v at offset %d", ErrInvalidJSON, tok, dec.InputOffset())
}

// appendArray appends the canonical form of the array whose opening bracket
// dec has just read.
func appendArray(buf []byte, dec *json.Decoder, depth int) ([]byte, error) {
	buf = append(buf, '[')
	for i := 0; dec.More(); i++ {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendValue(buf, dec, depth); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(err)
	}
	return append(buf, ']'), nil
}

// appendObject appends the canonical form of the object whose opening brace
// dec has just read, with its members sorted by name.
func appendObject(buf []byte, dec *json.Decoder, depth int) ([]byte, error) {
	var members []member
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxError(err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("%w: object key is not a string at offset %d", ErrInvalidJSON, dec.InputOffset())
		}
		if seen[name] {
			return nil, fmt.Errorf("%w %q at offset %d", ErrDuplicateKey, name, dec.InputOffset())
		}
		seen[name] = true
		value, err := appendValue(nil, dec, depth)
		if err != nil {
			return nil, err
		}
		members = append(members, member{units: utf16.Encode([]rune(name)), name: name, value: value})
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(err)
	}
	slices.SortFunc(members, func(a, b member) int { return slices.Compare(a.units, b.units) })
	buf = append(buf, '{')
	for i, m := range members {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, m.name)
		buf = append(buf, ':')
		buf = append(buf, m.value...)
	}
	return append(buf, '}'), nil
}

// syntaxError wraps an error from the decoder as ErrInvalidJSON, treating a
// premature end of input as truncation.
func syntaxError(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%w: unexpected end of input", ErrInvalidJSON)
	}
	return fmt.Errorf("%w: %v", ErrInvalidJSON, err)
}
