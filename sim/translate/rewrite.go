package translate

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// shims maps a standard-library name to what translated code calls instead.
var shims = map[string]map[string]string{
	"sync": {"Mutex": "gort.Mutex", "RWMutex": "gort.RWMutex", "WaitGroup": "gort.WaitGroup",
		"Once": "gort.Once", "Cond": "gort.Cond", "NewCond": "gort.NewCond", "Locker": "gort.Locker"},
	"time": {"Sleep": "gort.Sleep", "After": "gort.After", "Tick": "gort.Tick", "NewTimer": "gort.NewTimer",
		"NewTicker": "gort.NewTicker", "AfterFunc": "gort.AfterFunc", "Now": "gort.Now", "Since": "gort.Since",
		"Until": "gort.Until", "Timer": "gort.Timer", "Ticker": "gort.Ticker"},
	"context":     {"WithTimeout": "gort.WithTimeout", "WithDeadline": "gort.WithDeadline"},
	"runtime":     {"Gosched": "gort.Gosched"},
	"testing":     {"T": "gort.T", "TB": "gort.TB"},
	"sync/atomic": atomicShims(),
	"math/rand":   mathRandShims(),
}

// unsupported lists the names the translator refuses, with the reason: code that uses
// them would run outside the schedule or break the shims.
var unsupported = map[string]map[string]string{
	"runtime": {"Goexit": "runtime.Goexit is not supported (it would end the scheduler's coroutine)"},
	"reflect": {"Select": "reflect.Select on translated channels is not supported"},
	"testing": {"M": "TestMain is not supported", "B": "benchmarks are not supported"},
	"context": {"AfterFunc": "context.AfterFunc starts a goroutine outside the schedule",
		"WithTimeoutCause": "context.WithTimeoutCause is not supported yet", "WithDeadlineCause": "context.WithDeadlineCause is not supported yet"},
	"sync":        {"OnceFunc": "sync.OnceFunc is not supported yet", "OnceValue": "sync.OnceValue is not supported yet", "OnceValues": "sync.OnceValues is not supported yet"},
	"sync/atomic": {},
}

func atomicShims() map[string]string {
	m := map[string]string{"Int32": "gort.Int32", "Int64": "gort.Int64", "Uint32": "gort.Uint32", "Uint64": "gort.Uint64",
		"Bool": "gort.Bool", "Pointer": "gort.Pointer", "Value": "gort.Value"}
	for _, op := range []string{"Add", "Load", "Store", "Swap", "CompareAndSwap"} {
		for _, ty := range []string{"Int32", "Int64", "Uint32", "Uint64"} {
			m[op+ty] = "gort." + op + ty
		}
	}
	return m
}

func mathRandShims() map[string]string {
	m := map[string]string{}
	for _, f := range []string{"ExpFloat64", "Float32", "Float64", "Int", "Int31", "Int31n", "Int63", "Int63n",
		"Intn", "NormFloat64", "Perm", "Seed", "Shuffle", "Uint32", "Uint64"} {
		m[f] = "gort.MathRand()." + f
	}
	return m
}

// rewriter collects the edits that translate one file.
type rewriter struct {
	*editor
	fset *token.FileSet
	info *types.Info
	pkg  *types.Package
	// translated are the import paths of the packages translated together: their
	// channels are shims, every other package's are real.
	translated map[string]bool
	tmp        int // numbers the temporaries of go statements and selects
	errs       []error
	commaOK    map[*ast.UnaryExpr]bool // receives whose ok is used: v, ok := <-ch
	keep       map[*ast.ChanType]bool  // channel types that stay real (done.go)
	escapes    []Escape                // calls the schedule cannot see into (explain.go)
}

func (r *rewriter) errorf(n ast.Node, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("%s: %s", r.fset.Position(n.Pos()), fmt.Sprintf(format, args...)))
}

// isChan reports whether e is a channel-typed expression.
func (r *rewriter) isChan(e ast.Expr) bool {
	tv, ok := r.info.Types[e]
	if !ok || tv.Type == nil || tv.IsType() {
		return false
	}
	_, ok = tv.Type.Underlying().(*types.Chan)
	return ok
}

// recv returns e as a receive expression <-x, or nil.
func recv(e ast.Expr) *ast.UnaryExpr {
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u
	}
	return nil
}

// visit records the edits of node n; its children are visited after it.
func (r *rewriter) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.TypeSpec:
		r.namedChan(n)
	case *ast.FuncDecl:
		r.doneDecl(n)
	case *ast.InterfaceType:
		r.doneInterface(n)
	case *ast.ChanType:
		if !r.keep[n] {
			r.replace(n.Pos(), n.End(), func() string { return "*gort.Chan[" + r.node(n.Value) + "]" })
		}
	case *ast.AssignStmt:
		if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
			if u := recv(n.Rhs[0]); u != nil {
				r.commaOK[u] = true
			}
		}
	case *ast.ValueSpec:
		if len(n.Names) == 2 && len(n.Values) == 1 {
			if u := recv(n.Values[0]); u != nil {
				r.commaOK[u] = true
			}
		}
	case *ast.UnaryExpr:
		if n.Op == token.ARROW {
			r.replace(n.Pos(), n.End(), func() string {
				if r.commaOK[n] {
					return "(" + r.node(n.X) + ").Recv2()"
				}
				return "(" + r.node(n.X) + ").Recv()"
			})
		}
	case *ast.SendStmt:
		r.replace(n.Pos(), n.End(), func() string { return "(" + r.node(n.Chan) + ").Send(" + r.node(n.Value) + ")" })
	case *ast.RangeStmt:
		if r.isChan(n.X) {
			r.chanRange(n)
		} else {
			r.mapRange(n)
		}
	case *ast.CallExpr:
		r.call(n)
	case *ast.SelectorExpr:
		r.selector(n)
	case *ast.GoStmt:
		r.goStmt(n)
	case *ast.SelectStmt:
		r.selectStmt(n)
	}
	return true
}

// call translates the channel builtins and wraps a channel that untranslated code returns.
func (r *rewriter) call(c *ast.CallExpr) {
	if id, ok := ast.Unparen(c.Fun).(*ast.Ident); ok {
		if b, ok := r.info.Uses[id].(*types.Builtin); ok && len(c.Args) > 0 {
			switch b.Name() {
			case "make":
				ct, ok := ast.Unparen(c.Args[0]).(*ast.ChanType)
				if !ok {
					if t := r.info.TypeOf(c.Args[0]); t != nil {
						if _, isChan := t.Underlying().(*types.Chan); isChan {
							// A named channel type, an alias of *gort.Chan[T] now (namedChan).
							r.replace(c.Pos(), c.End(), func() string { return "gort.MakeChanOf[" + r.node(c.Args[0]) + "](" + r.makeSize(c) + ")" })
						}
					}
					return
				}
				r.replace(c.Pos(), c.End(), func() string { return "gort.MakeChan[" + r.node(ct.Value) + "](" + r.makeSize(c) + ")" })
			case "close", "len", "cap":
				if r.isChan(c.Args[0]) {
					method := map[string]string{"close": "Close", "len": "Len", "cap": "Cap"}[b.Name()]
					r.replace(c.Pos(), c.End(), func() string { return "(" + r.node(c.Args[0]) + ")." + method + "()" })
				}
			}
			return
		}
	}
	r.escape(c)
	if r.isChan(c) && r.external(c) {
		r.replace(c.Pos(), c.End(), func() string { return "gort.Ext(" + r.node(c) + ")" })
	}
}

// chanRange translates a range over a channel into a three-clause loop, which keeps the
// loop variable's semantics of the module's Go version (per iteration from Go 1.22,
// shared before) and needs no range over a function (Go 1.23):
//
//	for v := range ch {     for _gortC1, v, _gortOK1 := gort.First(ch); _gortOK1; v, _gortOK1 = _gortC1.Recv2() {
//	for x = range ch {      for _gortC1, _gortV1, _gortOK1 := gort.First(ch); ...; ... = _gortC1.Recv2() { x = _gortV1;
//
// The channel is evaluated once, before the first receive, as Go does.
func (r *rewriter) chanRange(n *ast.RangeStmt) {
	r.tmp++
	k := r.tmp
	c, ok := fmt.Sprintf("_gortC%d", k), fmt.Sprintf("_gortOK%d", k)
	r.replace(n.For, n.Body.Lbrace+1, func() string {
		v, assign := "_", ""
		switch {
		case n.Key != nil && n.Tok == token.DEFINE:
			v = r.node(n.Key)
		case n.Key != nil:
			v = fmt.Sprintf("_gortV%d", k)
			assign = " " + r.node(n.Key) + " = " + v + ";"
		}
		return "for " + c + ", " + v + ", " + ok + " := gort.First(" + r.node(n.X) + "); " + ok + "; " +
			v + ", " + ok + " = " + c + ".Recv2() {" + assign
	})
}

// makeSize renders a make call's size argument, 0 if it has none.
func (r *rewriter) makeSize(c *ast.CallExpr) string {
	if len(c.Args) > 1 {
		return r.node(c.Args[1])
	}
	return "0"
}

// namedChan makes a defined channel type (type Signal <-chan struct{}) an alias of its
// translation, *gort.Chan[T]: a defined pointer type would lose the channel's methods.
// A defined channel type with methods of its own cannot become an alias and is refused.
func (r *rewriter) namedChan(ts *ast.TypeSpec) {
	if ts.Assign != 0 {
		return
	}
	obj, ok := r.info.Defs[ts.Name].(*types.TypeName)
	if !ok {
		return
	}
	named, ok := obj.Type().(*types.Named)
	if !ok {
		return
	}
	if _, isChan := named.Underlying().(*types.Chan); !isChan {
		return
	}
	if named.NumMethods() > 0 {
		r.errorf(ts, "unsupported: channel type %s with methods", ts.Name.Name)
		return
	}
	r.replace(ts.Type.Pos(), ts.Type.Pos(), func() string { return "= " })
}

// callee is the function or method a call calls, nil for a conversion, a builtin or a
// call of a function value.
func (r *rewriter) callee(c *ast.CallExpr) *types.Func {
	if tv, ok := r.info.Types[c.Fun]; ok && tv.IsType() {
		return nil // a conversion
	}
	var obj types.Object
	switch f := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		obj = r.info.Uses[f]
	case *ast.SelectorExpr:
		if sel, ok := r.info.Selections[f]; ok {
			obj = sel.Obj()
		} else {
			obj = r.info.Uses[f.Sel]
		}
	case *ast.IndexExpr: // a generic function instantiated explicitly
		if id, ok := ast.Unparen(f.X).(*ast.Ident); ok {
			obj = r.info.Uses[id]
		}
	}
	fn, _ := obj.(*types.Func)
	return fn
}

// external reports whether a call's function is outside the translated packages and not
// one the shims replace: its channel is a real one.
func (r *rewriter) external(c *ast.CallExpr) bool {
	fn := r.callee(c)
	if fn != nil && doneMethod(fn) {
		return true // its channel stays real (done.go)
	}
	if fn == nil || fn.Pkg() == nil || fn.Pkg() == r.pkg || r.translated[fn.Pkg().Path()] {
		return false
	}
	_, shimmed := shims[fn.Pkg().Path()][fn.Name()]
	return !shimmed
}

// selector replaces a standard-library name by its shim.
func (r *rewriter) selector(s *ast.SelectorExpr) {
	id, ok := s.X.(*ast.Ident)
	if !ok {
		return
	}
	pn, ok := r.info.Uses[id].(*types.PkgName)
	if !ok {
		return
	}
	path := pn.Imported().Path()
	if to, ok := shims[path][s.Sel.Name]; ok {
		r.replace(s.Pos(), s.End(), func() string { return to })
		return
	}
	if why, ok := unsupported[path][s.Sel.Name]; ok {
		r.errorf(s, "unsupported: %s", why)
	} else if path == "sync/atomic" {
		r.errorf(s, "unsupported: atomic.%s is not shimmed yet", s.Sel.Name)
	}
}

// goStmt translates go f(x, y) into gort.Go over a closure, with the function and its
// arguments evaluated at the statement, as Go does: { f, a, b := f, x, y; gort.Go(func() {
// f(a, b) }) }. Constants, nil and package-level functions need no temporary.
func (r *rewriter) goStmt(g *ast.GoStmt) {
	c := g.Call
	r.replace(g.Pos(), g.End(), func() string {
		fun := ast.Unparen(c.Fun)
		if id, ok := fun.(*ast.Ident); ok {
			if _, builtin := r.info.Uses[id].(*types.Builtin); builtin {
				return "gort.Go(func() { " + r.node(c) + " })"
			}
		}
		if _, lit := fun.(*ast.FuncLit); lit && len(c.Args) == 0 {
			return "gort.Go(" + r.node(c.Fun) + ")"
		}
		k := r.tmp
		r.tmp++
		var names, vals, args []string
		f := r.node(c.Fun)
		if r.needsEval(fun) {
			name := fmt.Sprintf("_gortF%d", k)
			names, vals, f = append(names, name), append(vals, f), name
		}
		for i, a := range c.Args {
			tv := r.info.Types[a]
			if tv.Value != nil || tv.IsNil() {
				args = append(args, r.node(a))
				continue
			}
			name := fmt.Sprintf("_gortA%d_%d", k, i)
			names, vals, args = append(names, name), append(vals, r.node(a)), append(args, name)
		}
		call := f + "(" + strings.Join(args, ", ")
		if c.Ellipsis.IsValid() {
			call += "..."
		}
		call += ")"
		if len(names) == 0 {
			return "gort.Go(func() { " + call + " })"
		}
		return "{ " + strings.Join(names, ", ") + " := " + strings.Join(vals, ", ") + "; gort.Go(func() { " + call + " }) }"
	})
}

// needsEval reports whether evaluating a go statement's function can differ between the
// statement and the goroutine: anything but a package-level function.
func (r *rewriter) needsEval(fun ast.Expr) bool {
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			if _, pkg := r.info.Uses[x].(*types.PkgName); pkg {
				id = f.Sel
			}
		}
	}
	if id == nil {
		return true
	}
	fn, ok := r.info.Uses[id].(*types.Func)
	return !ok || fn.Type().(*types.Signature).Recv() != nil
}

// selectStmt translates a select statement into a switch over gort.Select's result:
//
//	switch { default: _c := ch; _v := gort.Elem(_c); switch gort.Select(_c.RecvCase(&_v), out.SendCase(x), gort.Default) {
//	case 0: v := _v; ...
//	default: ...
//
// keeping each clause on its line (a case's channel or value spanning lines moves to the
// select's line, shifting the lines of that select only). The outer switch takes the statement's label, so that
// break and break L leave it as they leave the select.
func (r *rewriter) selectStmt(s *ast.SelectStmt) {
	r.replace(s.Pos(), s.End(), func() string {
		k := r.tmp
		r.tmp++
		clauses := s.Body.List
		var decls, cases []string
		heads := make([]string, len(clauses))
		for i, st := range clauses {
			cc := st.(*ast.CommClause)
			heads[i] = fmt.Sprintf("case %d:", i)
			if i == len(clauses)-1 {
				// Select returns one of the indices: the last as default makes the switch
				// a terminating statement wherever the select was one.
				heads[i] = "default:"
			}
			switch comm := cc.Comm.(type) {
			case nil:
				cases = append(cases, "gort.Default")
			case *ast.SendStmt:
				cases = append(cases, "("+r.node(comm.Chan)+").SendCase("+r.node(comm.Value)+")")
			case *ast.ExprStmt:
				cases = append(cases, "("+r.node(recv(comm.X).X)+").RecvCase(nil)")
			case *ast.AssignStmt:
				ch, v := fmt.Sprintf("_gortC%d_%d", k, i), fmt.Sprintf("_gortV%d_%d", k, i)
				decls = append(decls, ch+" := "+r.node(recv(comm.Rhs[0]).X), v+" := gort.Elem("+ch+")")
				rhs := v
				if len(comm.Lhs) == 2 {
					ok := fmt.Sprintf("_gortOK%d_%d", k, i)
					decls = append(decls, "var "+ok+" bool")
					cases = append(cases, ch+".RecvCase2(&"+v+", &"+ok+")")
					rhs += ", " + ok
				} else {
					cases = append(cases, ch+".RecvCase(&"+v+")")
				}
				var lhs []string
				for _, l := range comm.Lhs {
					lhs = append(lhs, r.node(l))
				}
				heads[i] += " " + strings.Join(lhs, ", ") + " " + comm.Tok.String() + " " + rhs + ";"
			}
		}
		if len(clauses) == 0 {
			// select {} blocks forever and is a terminating statement; so is this.
			return "for { gort.Select() " + r.span(s.Body.Lbrace+1, s.Body.Rbrace) + "}"
		}
		var b strings.Builder
		b.WriteString("switch { default: ")
		for _, d := range decls {
			b.WriteString(d + "; ")
		}
		b.WriteString("switch gort.Select(" + strings.Join(cases, ", ") + ") {")
		next := s.Body.Rbrace
		if len(clauses) > 0 {
			next = clauses[0].Pos()
		}
		b.WriteString(r.span(s.Body.Lbrace+1, next))
		for i, st := range clauses {
			cc := st.(*ast.CommClause)
			next := s.Body.Rbrace
			if i+1 < len(clauses) {
				next = clauses[i+1].Pos()
			}
			b.WriteString(heads[i])
			b.WriteString(r.span(cc.Colon+1, next))
		}
		b.WriteString("}}")
		return b.String()
	})
}
