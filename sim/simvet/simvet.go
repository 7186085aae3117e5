// Package simvet is a static check for code that runs under the simulator: it reports the
// sources of nondeterminism that the sim runtime replaces (DESIGN §4), so a package that
// opts in cannot quietly step around the scheduler, the virtual clock or the seeded
// random streams. Run it with go vet through the simvet command (github.com/muxsim/muxsim/cmd/simvet).
//
// # Opting in
//
// Only packages marked as simulated are checked. A package is marked by the directive
//
//	//simvet:simulated
//
// in a comment of any of its non-test files; by convention it stands in doc.go on its own
// line after the package clause, separated from it by a blank line, where it cannot
// become part of the package documentation. Test files (_test.go) and generated files
// are never checked: tests drive the simulator from outside it.
//
// # Rules
//
// Each finding names its rule, as in "simvet(go): bare go statement; use rt.Go ...".
//
//   - go: a go statement, or context.AfterFunc (which starts a goroutine). Use rt.Go.
//   - select: a select statement. Use rt.Select or rt.Wait.
//   - sync: any name from package sync or sync/atomic (sync.Mutex, sync.Pool,
//     atomic.Int64, ...). Use rt.NewMutex, rt.NewCond, rt.NewSignal, rt.NewGroup. Methods
//     called on a value of such a type are not reported again: the type was named
//     where the value was declared.
//   - time: time.Now, Since, Until, Sleep, After, AfterFunc, NewTimer, NewTicker and
//     Tick, and context.WithTimeout, WithDeadline and their Cause variants. Use rt.Now,
//     rt.Sleep, rt.NewTimer, rt.WithTimeout and their kin. time.Duration, time.Time and
//     the constants are fine.
//   - rand: the global generator of math/rand and math/rand/v2 (rand.Intn, rand.IntN,
//     rand.Float64, rand.Shuffle, rand.N, ...) and anything from crypto/rand. Building a
//     generator from an injected source (rand.New, rand.NewPCG, rand.NewChaCha8, ...) is
//     fine. Use rt.Rand(name).
//   - maprange: a range over a map, or over maps.Keys, maps.Values or maps.All, whose
//     order is random. Allowed without a directive: a loop whose body is only
//     s = append(s, ...), perhaps inside an if with no init or else, with no calls but
//     conversions in the condition or the appended values, where s is then sorted later
//     in the same function (sort.Strings, sort.Slice, sort.Sort, slices.Sort,
//     slices.SortFunc, ...).
//   - gosched: runtime.Gosched. Use rt.Yield.
//   - printfp: a %p verb in the constant format string of a printf-like call: a variadic
//     function whose last fixed parameter is a string and whose name ends in "f" or
//     whose parameter is named "format" (fmt.Sprintf, t.Logf, errs.New, ...). Print IDs.
//
// # Reviewed exceptions
//
// A finding is suppressed by the directive
//
//	//simvet:allow RULE reason in words
//
// on the line of the finding or on the line just above it, where RULE is one of the
// names above. The reason is required: a directive without one, with an unknown rule,
// or that suppresses nothing is itself reported (as simvet(directive)), and an allow
// without a reason suppresses nothing. So is any other //simvet: directive, in any
// package, so that a misspelt marker does not silently turn the check off.
package simvet

import (
	"go/ast"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// Analyzer reports, in packages marked //simvet:simulated, the uses of go, select, sync,
// time, global random, map order, runtime.Gosched and %p that the sim runtime replaces.
// The package documentation is its manual: the rules, the marker and the allow directive.
var Analyzer = &analysis.Analyzer{
	Name:     "simvet",
	Doc:      doc,
	URL:      "https://pkg.go.dev/github.com/muxsim/muxsim/sim/simvet",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// doc is the Analyzer's help text, a summary of the package documentation.
const doc = `report nondeterminism in packages that run under the simulator

A package opts in with the directive //simvet:simulated in a comment of any
non-test file (by convention doc.go). Test and generated files are not checked.
Rules, named in every finding as simvet(RULE):
  go        go statements and context.AfterFunc: use rt.Go
  select    select statements: use rt.Select or rt.Wait
  sync      any name from sync or sync/atomic: use rt.NewMutex, rt.NewCond, ...
  time      time.Now, Since, Until, Sleep, After, AfterFunc, NewTimer, NewTicker,
            Tick and context.WithTimeout/WithDeadline: use rt.Now, rt.Sleep, ...
  rand      global math/rand and math/rand/v2 functions, crypto/rand: use rt.Rand
  maprange  range over a map (or maps.Keys/Values/All) unless the body only
            appends to a slice (perhaps under an if) that is sorted later in
            the same function
  gosched   runtime.Gosched: use rt.Yield
  printfp   %p in the constant format of a printf-like call: print IDs
A reviewed exception is the directive //simvet:allow RULE reason, on the line
of the finding or the line above it. A directive without a reason, with an
unknown rule, or that suppresses nothing is reported as simvet(directive).`

// run checks one package: nothing unless it is marked, then every checked file.
func run(pass *analysis.Pass) (any, error) {
	checked := checkedFiles(pass)
	dirs := scanDirectives(pass, checked)
	if !dirs.simulated {
		return nil, nil
	}
	c := &checker{pass: pass, dirs: dirs}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for file := range insp.Root().Children() {
		if checked[file.Node().(*ast.File)] {
			c.checkFile(file)
		}
	}
	c.reportUnusedAllows()
	return nil, nil
}

// checkedFiles returns the package's files that simvet checks: neither tests nor
// generated code.
func checkedFiles(pass *analysis.Pass) map[*ast.File]bool {
	checked := make(map[*ast.File]bool, len(pass.Files))
	for _, f := range pass.Files {
		name := pass.Fset.File(f.Pos()).Name()
		if !strings.HasSuffix(name, "_test.go") && !ast.IsGenerated(f) {
			checked[f] = true
		}
	}
	return checked
}
