package profiles

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"crossguard"
)

// exprEnv is the declaration as the expr programs of the baseline see
// it: every field a profile can test, evaluated once per declaration,
// in a map (expr runs programs on a map[string]any environment several
// times faster than on a struct, so the baseline gets its best case).
type exprEnv map[string]any

// fill sets the environment from a declaration.
func (e exprEnv) fill(d *crossguard.Declaration) {
	for _, name := range crossguard.DeclarationFieldNames() {
		f, _ := crossguard.LookupDeclarationField(name)
		if f.Type == crossguard.FieldText {
			e[name] = f.Text(d)
		} else {
			e[name] = f.Number(d)
		}
	}
}

// exprProfile is a profile compiled to an expr program.
type exprProfile struct {
	p    *crossguard.Profile
	prog *vm.Program
}

// exprSource writes a profile's conditions as an expr expression.
func exprSource(p *crossguard.Profile) (string, error) {
	var parts []string
	for _, c := range p.Conditions {
		f, ok := crossguard.LookupDeclarationField(c.Field)
		if !ok {
			return "", fmt.Errorf("unknown field %q", c.Field)
		}
		lit := func(v any) string {
			if f.Type == crossguard.FieldText {
				return strconv.Quote(asText(v))
			}
			s := strconv.FormatFloat(asNumber(v), 'f', -1, 64)
			if !strings.Contains(s, ".") {
				s += ".0"
			}
			return "(" + s + ")"
		}
		v := rawValue(c.Value)
		list, _ := v.([]any)
		x := c.Field
		switch c.Op {
		case crossguard.OpEq:
			parts = append(parts, x+" == "+lit(v))
		case crossguard.OpIn:
			var l []string
			for _, e := range list {
				l = append(l, lit(e))
			}
			parts = append(parts, x+" in ["+strings.Join(l, ", ")+"]")
		case crossguard.OpPrefix:
			parts = append(parts, x+" startsWith "+lit(v))
		case crossguard.OpLt:
			parts = append(parts, x+" < "+lit(v))
		case crossguard.OpLe:
			parts = append(parts, x+" <= "+lit(v))
		case crossguard.OpGt:
			parts = append(parts, x+" > "+lit(v))
		case crossguard.OpGe:
			parts = append(parts, x+" >= "+lit(v))
		case crossguard.OpBetween:
			parts = append(parts, "("+x+" >= "+lit(list[0])+" && "+x+" <= "+lit(list[1])+")")
		default:
			return "", fmt.Errorf("unknown op %q", c.Op)
		}
	}
	return strings.Join(parts, " && "), nil
}

// envTypes gives expr the type of every field.
var envTypes = func() exprEnv {
	e := exprEnv{}
	e.fill(&crossguard.Declaration{})
	return e
}()

// compileExpr compiles each profile to an expr program.
func compileExpr(ps []*crossguard.Profile) ([]exprProfile, error) {
	out := make([]exprProfile, len(ps))
	for i, p := range ps {
		src, err := exprSource(p)
		if err != nil {
			return nil, err
		}
		prog, err := expr.Compile(src, expr.Env(envTypes), expr.AsBool())
		if err != nil {
			return nil, fmt.Errorf("profile %s: compile %q: %w", p.ID, src, err)
		}
		out[i] = exprProfile{p: p, prog: prog}
	}
	return out, nil
}

// exprMatcher evaluates every profile in turn with its expr program.
type exprMatcher struct {
	progs []exprProfile
	env   exprEnv
	vm    vm.VM
}

// match appends the profiles in force on day whose program holds for d,
// in the index's order (programs are kept sorted that way).
func (m *exprMatcher) match(dst []*crossguard.Profile, d *crossguard.Declaration, day string) ([]*crossguard.Profile, error) {
	if m.env == nil {
		m.env = exprEnv{}
	}
	m.env.fill(d)
	for i := range m.progs {
		e := &m.progs[i]
		if !e.p.ValidOn(day) {
			continue
		}
		out, err := m.vm.Run(e.prog, map[string]any(m.env))
		if err != nil {
			return dst, fmt.Errorf("profile %s: %w", e.p.ID, err)
		}
		if out.(bool) {
			dst = append(dst, e.p)
		}
	}
	return dst, nil
}
