package translate

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"
)

// mapKey returns the key type of e's map type (a named map type included), or nil if e
// is not a map. A type parameter's range is left as it is.
func (r *rewriter) mapKey(e ast.Expr) types.Type {
	tv, ok := r.info.Types[e]
	if !ok || tv.Type == nil || tv.IsType() {
		return nil
	}
	if m, ok := tv.Type.Underlying().(*types.Map); ok {
		return m.Key()
	}
	return nil
}

// orderedKey reports whether gort.MapRange can order a key type's values the same way
// in every run: no pointer, channel (a *gort.Chan once translated) or unsafe.Pointer in
// it. An interface is checked at run time, key by key.
func orderedKey(t types.Type) bool {
	switch t := t.Underlying().(type) {
	case *types.Basic:
		return t.Kind() != types.UnsafePointer
	case *types.Interface:
		return true
	case *types.Array:
		return orderedKey(t.Elem())
	case *types.Struct:
		for i := range t.NumFields() {
			if !orderedKey(t.Field(i).Type()) {
				return false
			}
		}
		return true
	}
	return false
}

// mapRange translates a range over a map into an iteration in an order drawn from the
// run's seed (gort.MapRange):
//
//	for k, v := range m {            for _gortR3 := gort.MapRange(m); _gortR3.Next(); { k, v := _gortR3.Key(), _gortR3.Value(); {
//		body                             body
//	}                                }}
//
// The for statement stays a for statement, so its label, break, continue (to Next),
// goto and defer keep working; m is evaluated once; the body keeps its lines and sits
// in a block of its own, so that it may redeclare k or v as it could in Go. With =
// instead of :=, the header assigns k and v. A map whose key type has no deterministic
// order (orderedKey) is left to Go's order.
func (r *rewriter) mapRange(n *ast.RangeStmt) {
	key := r.mapKey(n.X)
	if key == nil || !orderedKey(key) {
		return
	}
	r.replace(n.Pos(), n.Body.Lbrace+1, func() string {
		it := fmt.Sprintf("_gortR%d", r.tmp)
		r.tmp++
		var lhs, rhs []string
		for _, e := range []struct {
			x      ast.Expr
			method string
		}{{n.Key, "Key"}, {n.Value, "Value"}} {
			if e.x == nil {
				continue
			}
			if id, ok := e.x.(*ast.Ident); ok && id.Name == "_" {
				continue
			}
			lhs, rhs = append(lhs, r.node(e.x)), append(rhs, it+"."+e.method+"()")
		}
		x := r.node(n.X)
		head := "for " + it + " := gort.MapRange(" + x + "); " + it + ".Next(); { "
		if len(lhs) > 0 {
			head += strings.Join(lhs, ", ") + " " + n.Tok.String() + " " + strings.Join(rhs, ", ") + "; "
		}
		// The header's lines outside the map expression (a key on a line of its own) are
		// kept, so that the body stays on its lines.
		src := r.src[r.off(n.Pos()):r.off(n.Body.Lbrace)]
		lines := strings.Count(string(src), "\n") - strings.Count(string(r.src[r.off(n.X.Pos()):r.off(n.X.End())]), "\n")
		return head + "{" + strings.Repeat("\n", lines)
	})
	r.replace(n.Body.Rbrace, n.Body.Rbrace+1, func() string { return "}}" })
}
