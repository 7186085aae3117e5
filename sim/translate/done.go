package translate

import (
	"go/ast"
	"go/types"
)

// The context.Context boundary. A translated type that implements context.Context (a
// stream's context, as drpc's) must keep Done() <-chan struct{}: context's own functions
// and every untranslated caller see it through the interface, so a *gort.Chan in its
// place would break the implementation. So a method Done() <-chan struct{}, and such a
// method of an interface declared in translated code, keep the real channel type; each
// of its return values is wrapped in gort.Real (the translated channel's real
// counterpart, closed with it); and a call of such a method is a channel of untranslated
// code (gort.Ext), received from by polling.

// doneMethod reports whether fn is a method Done() <-chan struct{}.
func doneMethod(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil || fn.Name() != "Done" || sig.Params().Len() != 0 || sig.Results().Len() != 1 {
		return false
	}
	ch, ok := sig.Results().At(0).Type().(*types.Chan)
	if !ok || ch.Dir() != types.RecvOnly {
		return false
	}
	st, ok := ch.Elem().Underlying().(*types.Struct)
	return ok && st.NumFields() == 0
}

// doneDecl marks a method declaration Done() <-chan struct{}: its result type stays, and
// its function's own return statements (not those of function literals inside) return
// gort.Real of their value.
func (r *rewriter) doneDecl(fd *ast.FuncDecl) {
	fn, ok := r.info.Defs[fd.Name].(*types.Func)
	if !ok || fd.Body == nil || !doneMethod(fn) {
		return
	}
	r.keepResult(fd.Type)
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			for _, e := range n.Results {
				r.replace(e.Pos(), e.End(), func() string { return "gort.Real(" + r.node(e) + ")" })
			}
		}
		return true
	})
}

// doneInterface keeps the result type of an interface's methods Done() <-chan struct{}.
func (r *rewriter) doneInterface(it *ast.InterfaceType) {
	for _, m := range it.Methods.List {
		ft, ok := m.Type.(*ast.FuncType)
		if !ok || len(m.Names) != 1 {
			continue
		}
		if fn, ok := r.info.Defs[m.Names[0]].(*types.Func); ok && doneMethod(fn) {
			r.keepResult(ft)
		}
	}
}

// keepResult marks a function type's result channel type to stay as it is.
func (r *rewriter) keepResult(ft *ast.FuncType) {
	if ft.Results != nil && len(ft.Results.List) == 1 {
		if ct, ok := ft.Results.List[0].Type.(*ast.ChanType); ok {
			r.keep[ct] = true
		}
	}
}
