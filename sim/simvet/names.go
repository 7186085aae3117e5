package simvet

import (
	"go/ast"
	"go/types"
)

// A ban is why simulated code must not use a package-level name, and what to use instead.
type ban struct {
	rule   rule
	advice string
}

// bannedNames are single package-level names, keyed "importpath.Name".
var bannedNames = map[string]ban{
	"time.Now":       {ruleTime, "reads the wall clock; use rt.Now"},
	"time.Since":     {ruleTime, "reads the wall clock; use rt.Since"},
	"time.Until":     {ruleTime, "reads the wall clock; use rt.Until"},
	"time.Sleep":     {ruleTime, "sleeps on the wall clock; use rt.Sleep"},
	"time.After":     {ruleTime, "arms a wall-clock timer; use rt.After"},
	"time.AfterFunc": {ruleTime, "arms a wall-clock timer and starts a goroutine; use rt.AfterFunc"},
	"time.NewTimer":  {ruleTime, "arms a wall-clock timer; use rt.NewTimer"},
	"time.NewTicker": {ruleTime, "arms a wall-clock ticker; use rt.NewTimer in a loop"},
	"time.Tick":      {ruleTime, "arms a wall-clock ticker; use rt.NewTimer in a loop"},

	"context.WithTimeout":       {ruleTime, "arms a wall-clock timer; use rt.WithTimeout"},
	"context.WithTimeoutCause":  {ruleTime, "arms a wall-clock timer; use rt.WithTimeout"},
	"context.WithDeadline":      {ruleTime, "arms a wall-clock timer; use rt.WithDeadline"},
	"context.WithDeadlineCause": {ruleTime, "arms a wall-clock timer; use rt.WithDeadline"},
	"context.AfterFunc":         {ruleGo, "starts a goroutine the scheduler does not see; wait on ctx with rt.Select in an rt.Go task"},

	"runtime.Gosched": {ruleGosched, "yields to the Go scheduler, not ours; use rt.Yield"},
}

// bannedPackages are packages none of whose package-level names may be used.
var bannedPackages = map[string]ban{
	"sync":        {ruleSync, "blocks where the scheduler cannot see it; use rt.NewMutex, rt.NewCond, rt.NewSignal or rt.NewGroup"},
	"sync/atomic": {ruleSync, "orders tasks where the scheduler cannot see it; guard the value with an rt.NewMutex"},
	"crypto/rand": {ruleRand, "reads the operating system's entropy; use rt.Rand(name)"},
}

// globalRandPackages are the packages whose top-level functions draw from the global
// generator, except the constructors in randConstructors.
var globalRandPackages = map[string]bool{"math/rand": true, "math/rand/v2": true}

// randConstructors build a generator from a source the caller injects.
var randConstructors = map[string]bool{
	"New": true, "NewSource": true, "NewPCG": true, "NewChaCha8": true, "NewZipf": true,
}

// checkIdent reports an identifier that refers to a banned package-level name.
func (c *checker) checkIdent(id *ast.Ident) {
	obj := c.pass.TypesInfo.Uses[id]
	if obj == nil {
		return
	}
	if fn, ok := obj.(*types.Func); ok {
		obj = fn.Origin()
	}
	if b, ok := banOf(obj); ok {
		c.report(id.Pos(), b.rule, "%s.%s %s", obj.Pkg().Name(), obj.Name(), b.advice)
	}
}

// banOf returns the ban on obj, if obj is a banned package-level name.
func banOf(obj types.Object) (ban, bool) {
	pkg := obj.Pkg()
	if pkg == nil || pkg.Scope().Lookup(obj.Name()) != obj {
		return ban{}, false // not package-level: a method, field, local or builtin
	}
	if b, ok := bannedNames[pkg.Path()+"."+obj.Name()]; ok {
		return b, true
	}
	if b, ok := bannedPackages[pkg.Path()]; ok {
		return b, true
	}
	if _, isFunc := obj.(*types.Func); isFunc && globalRandPackages[pkg.Path()] && !randConstructors[obj.Name()] {
		return ban{ruleRand, "draws from the global generator; use rt.Rand(name)"}, true
	}
	return ban{}, false
}
