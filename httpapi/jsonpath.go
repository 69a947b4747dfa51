package httpapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// jsonValue is one value met by walkJSON.
type jsonValue struct {
	Path    string       // such as goods[0].hs; "" for the whole document
	Token   json.Token   // the scalar, or json.Delim '{' or '[' opening a container
	End     int64        // offset in the document just after the token
	Type    reflect.Type // the Go type the value decodes into; nil if none is known
	Unknown bool         // the value's key names no field of the enclosing struct
}

// jsonFrame is an object or array that walkJSON is inside of.
type jsonFrame struct {
	object    bool
	expectKey bool
	typ       reflect.Type // the Go type of the container, nil if unknown
	path      string
	key       string // the current key, in an object
	index     int    // the current index, in an array
}

// unmarshalerType is the type of json.Unmarshaler.
var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// walkJSON calls visit for each value of the JSON document in data, in
// document order, with its path and the Go type it decodes into when the
// document is decoded into a root. It stops when visit returns true or at
// the first syntax error. The decoding errors of encoding/json name a field
// without array indices (or not at all); walkJSON lets the API name the
// exact path, such as goods[2].quantity.
func walkJSON(data []byte, root reflect.Type, visit func(jsonValue) bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []*jsonFrame
	done := func() { // a value of the innermost container is complete
		if len(stack) == 0 {
			return
		}
		if top := stack[len(stack)-1]; top.object {
			top.expectKey = true
		} else {
			top.index++
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.expectKey {
			if tok == json.Delim('}') {
				stack = stack[:len(stack)-1]
				done()
			} else {
				top.key, _ = tok.(string)
				top.expectKey = false
			}
			continue
		}
		if tok == json.Delim(']') {
			stack = stack[:len(stack)-1]
			done()
			continue
		}

		v := jsonValue{Token: tok, End: dec.InputOffset()}
		switch {
		case top == nil:
			v.Type = deref(root)
		case top.object:
			v.Path = joinPath(top.path, top.key)
			v.Type, v.Unknown = fieldType(top.typ, top.key)
		default:
			v.Path = top.path + "[" + strconv.Itoa(top.index) + "]"
			v.Type = elemType(top.typ)
		}
		if visit(v) {
			return
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &jsonFrame{object: true, expectKey: true, typ: opaque(v.Type), path: v.Path})
		case json.Delim('['):
			stack = append(stack, &jsonFrame{typ: opaque(v.Type), path: v.Path})
		default:
			done()
		}
	}
}

// joinPath appends an object key to a path. An empty key is written ""
// so that the path still shows it.
func joinPath(path, key string) string {
	if key == "" {
		key = `""`
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// deref returns the type a pointer type points to, through any depth.
func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// opaque returns t without pointers, or nil if encoding/json hands the
// value to t's own UnmarshalJSON and so never looks inside it.
func opaque(t reflect.Type) reflect.Type {
	t = deref(t)
	if t == nil || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	return t
}

// elemType returns the element type of an array or slice type, or nil.
func elemType(t reflect.Type) reflect.Type {
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		return deref(t.Elem())
	}
	return nil
}

// fieldType returns the type of the value under key in an object that
// decodes into t, and whether key is unknown: t is a struct without such a
// field. Keys match field names as encoding/json matches them, exactly
// first and then ignoring case.
func fieldType(t reflect.Type, key string) (reflect.Type, bool) {
	switch {
	case t == nil:
		return nil, false
	case t.Kind() == reflect.Map:
		return deref(t.Elem()), false
	case t.Kind() != reflect.Struct:
		return nil, false
	}
	fields := structFields(t)
	if ft, ok := fields[key]; ok {
		return deref(ft), false
	}
	for name, ft := range fields {
		if strings.EqualFold(name, key) {
			return deref(ft), false
		}
	}
	return nil, true
}

// fieldCache maps a struct type to its JSON field names and types.
var fieldCache sync.Map

// structFields returns the JSON names of a struct's fields and their types,
// with the fields of embedded structs promoted as encoding/json promotes
// them (a shallower field wins over a deeper one of the same name).
func structFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := make(map[string]reflect.Type)
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && deref(f.Type).Kind() == reflect.Struct {
			embedded = append(embedded, deref(f.Type))
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	for _, et := range embedded {
		for name, ft := range structFields(et) {
			if _, taken := m[name]; !taken {
				m[name] = ft
			}
		}
	}
	fieldCache.Store(t, m)
	return m
}
