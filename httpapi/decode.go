package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"crossguard"
)

// decodeJSON reads the request body, which must be one JSON object of
// Content-Type application/json no larger than MaxBodyBytes, into v, a
// pointer to a struct. Every way a body can be wrong gives an EINVALID
// error that says where (the field path, or the line and column), except a
// body too large, which gives ETOOLARGE.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	data, err := s.readBody(w, r, "a JSON object", 0)
	if err != nil {
		return err
	}
	return decodeBytes(data, v)
}

// readBody reads a JSON request body of at most MaxBodyBytes (or limit,
// when larger), refusing a wrong Content-Type, an empty body and null;
// want names what to send.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, want string, limit int64) ([]byte, error) {
	if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
		return nil, err
	}
	if s.MaxBodyBytes > limit {
		limit = s.MaxBodyBytes
	} else if s.MaxBodyBytes <= 0 && limit < DefaultMaxBodyBytes {
		limit = DefaultMaxBodyBytes
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if mbe, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, crossguard.Errorf(crossguard.ETOOLARGE, "request body is larger than the limit of %d bytes", mbe.Limit)
		}
		return nil, crossguard.Errorf(crossguard.EINVALID, "could not read the request body")
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, crossguard.Errorf(crossguard.EINVALID, "request body is empty: send %s", want)
	case bytes.Equal(trimmed, []byte("null")):
		return nil, crossguard.Errorf(crossguard.EINVALID, "request body must be %s, not null", want)
	}
	return data, nil
}

// decodeBytes decodes one JSON value of data into v, a pointer, refusing
// unknown fields and trailing data, with errors that say where.
func decodeBytes(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describeDecodeError(data, reflect.TypeOf(v), err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		at := end + int64(len(data[end:])-len(bytes.TrimLeft(data[end:], " \t\r\n")))
		line, col := position(data, at)
		return crossguard.Errorf(crossguard.EINVALID,
			"request body has data after the JSON object, at line %d, column %d (byte %d): send exactly one JSON object", line, col, at+1)
	}
	return nil
}

// checkContentType requires a JSON media type, with or without a charset.
func checkContentType(ct string) error {
	if ct == "" {
		return crossguard.Errorf(crossguard.EINVALID, "missing Content-Type: send the body as application/json")
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return crossguard.Errorf(crossguard.EINVALID, "unsupported Content-Type %q: send the body as application/json", clip(ct, 100))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return crossguard.Errorf(crossguard.EINVALID, "unsupported charset %q: JSON bodies must be UTF-8", clip(cs, 50))
	}
	return nil
}

// describeDecodeError turns an error of json.Decoder.Decode on data (into a
// value of type t) into an EINVALID error that a person can act on.
func describeDecodeError(data []byte, t reflect.Type, err error) error {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		line, col := position(data, se.Offset-1)
		return crossguard.Errorf(crossguard.EINVALID, "malformed JSON at line %d, column %d (byte %d): %s",
			line, col, se.Offset, se.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		line, col := position(data, int64(len(data)))
		return crossguard.Errorf(crossguard.EINVALID, "malformed JSON: the body ends at line %d, column %d before the JSON object is complete", line, col)
	}
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		path, expected := te.Field, describeType(te.Type)
		walkJSON(data, t, func(v jsonValue) bool {
			if v.End < te.Offset {
				return false
			}
			path = v.Path
			return true
		})
		if path == "" {
			return crossguard.Errorf(crossguard.EINVALID, "request body must be a JSON object, not %s", jsonKind(te.Value))
		}
		if number, ok := strings.CutPrefix(te.Value, "number "); ok && expected == "a number" {
			return fieldError(path, fmt.Sprintf("the number %s is out of range", clip(number, 40)))
		}
		return fieldError(path, fmt.Sprintf("must be %s, not %s", expected, jsonKind(te.Value)))
	}
	if ie, ok := errors.AsType[*json.InvalidUnmarshalError](err); ok {
		return fmt.Errorf("decode request body: %w", ie) // a bug of ours: internal
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		path := name
		walkJSON(data, t, func(v jsonValue) bool {
			if v.Unknown {
				path = v.Path
			}
			return v.Unknown
		})
		return &crossguard.Error{Code: crossguard.EINVALID, Message: fmt.Sprintf("request body has an unknown field %q", clip(name, 100)),
			Fields: []crossguard.FieldError{{Field: clip(path, 200), Message: "unknown field: see API.md for the fields of this record"}}}
	}
	// What is left are errors of a type's own UnmarshalJSON, which name no
	// field: find the value that fails.
	if path, msg, ok := findUnmarshalFailure(data, t); ok {
		return fieldError(path, msg)
	}
	return crossguard.Errorf(crossguard.EINVALID, "invalid request body: %s", clip(strings.TrimPrefix(err.Error(), "json: "), 200))
}

// fieldError returns an EINVALID error naming one field of the body.
func fieldError(path, msg string) error {
	return &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid request body",
		Fields: []crossguard.FieldError{{Field: clip(path, 200), Message: msg}}}
}

// findUnmarshalFailure returns the path of the first value in data whose
// type decodes itself (such as time.Time) and refuses the value.
func findUnmarshalFailure(data []byte, t reflect.Type) (path, msg string, found bool) {
	walkJSON(data, t, func(v jsonValue) bool {
		if v.Type == nil || !reflect.PointerTo(v.Type).Implements(unmarshalerType) {
			return false
		}
		var raw []byte
		switch tok := v.Token.(type) {
		case json.Delim:
			raw = []byte(string(tok) + map[json.Delim]string{'{': "}", '[': "]"}[tok])
		case nil:
			return false // null leaves the value alone
		default:
			raw, _ = json.Marshal(tok)
		}
		u := reflect.New(v.Type).Interface().(json.Unmarshaler)
		if err := u.UnmarshalJSON(raw); err != nil {
			path, msg, found = v.Path, "invalid value: "+clip(err.Error(), 200), true
			if v.Type == reflect.TypeFor[time.Time]() {
				msg = "must be an RFC 3339 date and time as a string, such as 2026-11-20T09:30:00Z"
			}
		}
		return found
	})
	return path, msg, found
}

// describeType names the JSON form of a Go type, for error messages.
func describeType(t reflect.Type) string {
	t = deref(t)
	if t == nil {
		return "a value of another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a value of another type"
}

// jsonKind turns the Value of a json.UnmarshalTypeError ("string",
// "number 1e999", "array") into words.
func jsonKind(value string) string {
	switch {
	case value == "array", value == "object":
		return "an " + value
	case strings.HasPrefix(value, "number "):
		return "the number " + clip(strings.TrimPrefix(value, "number "), 40)
	case value == "":
		return "this value"
	}
	return "a " + value
}

// position returns the 1-based line and column (in bytes) of the byte at
// 0-based offset off in data. Messages give byte positions 1-based too.
func position(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}
