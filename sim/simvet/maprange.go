package simvet

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// mapIterators are the functions whose sequences follow a map's random order.
var mapIterators = map[string]bool{"maps.Keys": true, "maps.Values": true, "maps.All": true}

// checkRange reports a range over a map, or over a map's iterator, unless it is the
// collect-then-sort idiom.
func (c *checker) checkRange(cur inspector.Cursor, rs *ast.RangeStmt) {
	what := c.mapOrder(rs.X)
	if what == "" || c.collectsSorted(cur, rs) {
		return
	}
	c.report(rs.For, ruleMapRange,
		"range over %s visits entries in random order; append the keys to a slice and sort it, or allow with a reason", what)
}

// mapOrder describes x if ranging over it follows a map's order, and returns "" if not.
func (c *checker) mapOrder(x ast.Expr) string {
	if t := c.pass.TypesInfo.TypeOf(x); t != nil {
		if _, ok := t.Underlying().(*types.Map); ok {
			return "a map"
		}
	}
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok {
		return ""
	}
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil || !mapIterators[fn.Pkg().Path()+"."+fn.Name()] {
		return ""
	}
	return "maps." + fn.Name()
}

// collectsSorted reports whether rs is the idiom
//
//	for k := range m { keys = append(keys, k) }
//	...
//	slices.Sort(keys) // or sort.Strings(keys), sort.Slice(keys, ...), ...
//
// where the loop body only appends values computed without calls (conversions aside) to
// one slice variable, perhaps under a condition without calls, and a sort of that
// variable follows the loop in the same function.
func (c *checker) collectsSorted(cur inspector.Cursor, rs *ast.RangeStmt) bool {
	slice := c.appendTarget(rs.Body)
	if slice == nil {
		return false
	}
	for fn := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		// Only the innermost function: its later statements are the ones that run after
		// the loop.
		return c.sortedAfter(funcBody(fn.Node()), rs.End(), slice)
	}
	return false
}

// funcBody returns the body of a function declaration or literal.
func funcBody(fn ast.Node) *ast.BlockStmt {
	if decl, ok := fn.(*ast.FuncDecl); ok {
		return decl.Body
	}
	return fn.(*ast.FuncLit).Body
}

// appendTarget returns the variable s if body is exactly "s = append(s, values...)", or
// that statement alone inside "if cond { ... }" with no init or else, where neither cond
// nor the values make calls other than conversions. It returns nil otherwise.
func (c *checker) appendTarget(body *ast.BlockStmt) types.Object {
	if len(body.List) != 1 {
		return nil
	}
	switch stmt := body.List[0].(type) {
	case *ast.IfStmt:
		if stmt.Init != nil || stmt.Else != nil || c.hasCall(stmt.Cond) {
			return nil
		}
		return c.appendTarget(stmt.Body)
	case *ast.AssignStmt:
		return c.appendAssign(stmt)
	}
	return nil
}

// appendAssign returns the variable s if assign is "s = append(s, values...)" with no
// calls but conversions in the values, and nil otherwise.
func (c *checker) appendAssign(assign *ast.AssignStmt) types.Object {
	if assign.Tok != token.ASSIGN || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 {
		return nil
	}
	lhs, ok := assign.Lhs[0].(*ast.Ident)
	call, isCall := assign.Rhs[0].(*ast.CallExpr)
	if !ok || !isCall || !c.isBuiltin(call.Fun, "append") || len(call.Args) < 2 {
		return nil
	}
	slice := c.pass.TypesInfo.ObjectOf(lhs)
	if first, ok := call.Args[0].(*ast.Ident); !ok || c.pass.TypesInfo.ObjectOf(first) != slice {
		return nil
	}
	for _, arg := range call.Args[1:] {
		if c.hasCall(arg) {
			return nil
		}
	}
	return slice
}

// isBuiltin reports whether fun names the builtin function name.
func (c *checker) isBuiltin(fun ast.Expr, name string) bool {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

// hasCall reports whether e contains a call other than a type conversion.
func (c *checker) hasCall(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && !c.pass.TypesInfo.Types[call.Fun].IsType() {
			found = true
		}
		return !found
	})
	return found
}

// sortedAfter reports whether body calls a sort function on slice after position from.
func (c *checker) sortedAfter(body *ast.BlockStmt, from token.Pos, slice types.Object) bool {
	sorted := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if ok && call.Pos() > from && len(call.Args) > 0 && c.isSort(call) && c.mentions(call.Args[0], slice) {
			sorted = true
		}
		return !sorted
	})
	return sorted
}

// sortFuncs are the functions of package sort that sort their first argument.
var sortFuncs = map[string]bool{
	"Sort": true, "Stable": true, "Slice": true, "SliceStable": true,
	"Strings": true, "Ints": true, "Float64s": true,
}

// isSort reports whether call sorts its first argument: a sort function of package sort or
// a slices.Sort* function.
func (c *checker) isSort(call *ast.CallExpr) bool {
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "sort":
		return sortFuncs[fn.Name()]
	case "slices":
		return strings.HasPrefix(fn.Name(), "Sort")
	}
	return false
}

// mentions reports whether e refers to obj, as in keys or sort.StringSlice(keys).
func (c *checker) mentions(e ast.Expr, obj types.Object) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}
