package simvet

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// A rule is the short name of one check, as written in findings and allow directives.
type rule string

// The rules, documented in the package doc.
const (
	ruleGo       rule = "go"
	ruleSelect   rule = "select"
	ruleSync     rule = "sync"
	ruleTime     rule = "time"
	ruleRand     rule = "rand"
	ruleMapRange rule = "maprange"
	ruleGosched  rule = "gosched"
	rulePrintfP  rule = "printfp"

	// ruleDirective names findings about the directives themselves; it cannot be allowed.
	ruleDirective rule = "directive"
)

// allowable reports whether an allow directive may name r.
func allowable(r rule) bool {
	switch r {
	case ruleGo, ruleSelect, ruleSync, ruleTime, ruleRand, ruleMapRange, ruleGosched, rulePrintfP:
		return true
	}
	return false
}

// A checker holds one marked package's pass and its directives.
type checker struct {
	pass *analysis.Pass
	dirs *directives
}

// checkNodes are the node types that some rule looks at.
var checkNodes = []ast.Node{
	(*ast.GoStmt)(nil),
	(*ast.SelectStmt)(nil),
	(*ast.Ident)(nil),
	(*ast.RangeStmt)(nil),
	(*ast.CallExpr)(nil),
}

// checkFile applies every rule to one file.
func (c *checker) checkFile(file inspector.Cursor) {
	for cur := range file.Preorder(checkNodes...) {
		switch n := cur.Node().(type) {
		case *ast.GoStmt:
			c.report(n.Pos(), ruleGo, "bare go statement; use rt.Go so the scheduler sees the task")
		case *ast.SelectStmt:
			c.report(n.Pos(), ruleSelect,
				"select statement; use rt.Select or rt.Wait so the scheduler chooses among ready cases")
		case *ast.Ident:
			c.checkIdent(n)
		case *ast.RangeStmt:
			c.checkRange(cur, n)
		case *ast.CallExpr:
			c.checkPrintf(n)
		}
	}
}

// report records a finding of rule r at pos unless a reviewed allow directive covers it.
func (c *checker) report(pos token.Pos, r rule, format string, args ...any) {
	if c.dirs.suppress(c.pass.Fset.Position(pos), r) {
		return
	}
	reportf(c.pass, pos, r, format, args...)
}

// reportf records a finding of rule r at pos, unconditionally.
func reportf(pass *analysis.Pass, pos token.Pos, r rule, format string, args ...any) {
	pass.Report(analysis.Diagnostic{
		Pos:      pos,
		Category: string(r),
		Message:  fmt.Sprintf("simvet(%s): ", r) + fmt.Sprintf(format, args...),
	})
}

// reportUnusedAllows reports each well-formed allow directive that suppressed nothing, so
// exceptions do not outlive the code they were written for.
func (c *checker) reportUnusedAllows() {
	for _, a := range c.dirs.allows {
		if a.reviewed() && !a.used {
			reportf(c.pass, a.pos, ruleDirective,
				"//simvet:allow %s suppresses nothing on this line or the next; remove it", a.rule)
		}
	}
}
