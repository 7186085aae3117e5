package simvet

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// checkPrintf reports a %p verb in the constant format string of a printf-like call.
func (c *checker) checkPrintf(call *ast.CallExpr) {
	index, ok := formatIndex(typeutil.Callee(c.pass.TypesInfo, call))
	if !ok || index >= len(call.Args) {
		return
	}
	format := call.Args[index]
	value := c.pass.TypesInfo.Types[format].Value
	if value == nil || value.Kind() != constant.String {
		return
	}
	if hasPointerVerb(constant.StringVal(value)) {
		c.report(format.Pos(), rulePrintfP,
			"%%p prints an address, which differs between runs; print an ID instead")
	}
}

// formatIndex returns the index of obj's format parameter if obj is printf-like: a
// variadic function whose last fixed parameter is a string and whose name ends in "f" or
// whose parameter is named "format".
func formatIndex(obj types.Object) (int, bool) {
	fn, ok := obj.(*types.Func)
	if !ok {
		return 0, false
	}
	sig := fn.Signature()
	params := sig.Params()
	if !sig.Variadic() || params.Len() < 2 {
		return 0, false
	}
	index := params.Len() - 2
	format := params.At(index)
	if basic, ok := format.Type().Underlying().(*types.Basic); !ok || basic.Kind() != types.String {
		return 0, false
	}
	if !strings.HasSuffix(fn.Name(), "f") && format.Name() != "format" {
		return 0, false
	}
	return index, true
}

// hasPointerVerb reports whether format has a %p verb, with any flags, width, precision
// or argument index; "%%p" is a literal percent sign followed by p.
func hasPointerVerb(format string) bool {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.*[]", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] == 'p' {
			return true
		}
	}
	return false
}
