package mux

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSourceUsesOnlyTheRuntime enforces DESIGN §4 on the code that runs under simulation:
// no bare go statements, no select, no sync or sync/atomic, no wall-clock time or real
// timers, no global math/rand, no context deadlines or AfterFunc (they arm real timers or
// start goroutines). Everything must go through the sim runtime. Test files are exempt.
func TestSourceUsesOnlyTheRuntime(t *testing.T) {
	for _, dir := range []string{".", "wire", "../simnet"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			checked++
			for _, v := range violations(t, path) {
				t.Errorf("%s", v)
			}
		}
		if checked == 0 {
			t.Fatalf("no source files in %s", dir)
		}
	}
}

// forbiddenImports and forbiddenCalls are the escapes from the runtime.
var (
	forbiddenImports = map[string]string{
		"sync":             "use the runtime's Mutex, Cond, Event",
		"sync/atomic":      "state is guarded by the runtime's Mutex",
		"math/rand":        "use rt.Rand",
		"math/rand/v2":     "use rt.Rand (a *rand.Rand from it is fine)",
		"crypto/rand":      "use rt.Rand",
		"time/tzdata":      "",
		"testing/synctest": "",
	}
	forbiddenCalls = map[string]bool{
		"time.Now": true, "time.Since": true, "time.Until": true, "time.Sleep": true,
		"time.After": true, "time.AfterFunc": true, "time.NewTimer": true, "time.NewTicker": true,
		"time.Tick": true, "context.WithTimeout": true, "context.WithDeadline": true,
		"context.WithTimeoutCause": true, "context.WithDeadlineCause": true, "context.AfterFunc": true,
		"runtime.Gosched": true,
	}
)

func violations(t *testing.T, path string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	report := func(n ast.Node, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s: %s", fset.Position(n.Pos()), fmt.Sprintf(format, args...)))
	}
	names := map[string]string{} // local import name → path
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		elems := strings.Split(p, "/")
		name := elems[len(elems)-1]
		if len(elems) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
			name = elems[len(elems)-2] // math/rand/v2 is package rand
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = p
		// math/rand/v2 may be imported for the *rand.Rand type that rt.Rand returns;
		// its package-level functions are caught below.
		if why, bad := forbiddenImports[p]; bad && p != "math/rand/v2" {
			report(imp, "imports %s: %s", p, why)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			report(n, "go statement: use rt.Go")
		case *ast.SelectStmt:
			report(n, "select statement: use rt.Select")
		case *ast.SendStmt:
			report(n, "channel send: use the runtime's events")
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				report(n, "channel receive: use rt.Wait or rt.Select")
			}
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				short := id.Name + "." + n.Sel.Name
				if p := names[id.Name]; p != "" && forbiddenCalls[p+"."+n.Sel.Name] {
					report(n, "%s: use the runtime's clock and timers", short)
				}
				if names[id.Name] == "math/rand/v2" && n.Sel.Name != "Rand" && n.Sel.Name != "Source" {
					report(n, "%s: the global generator; use rt.Rand", short)
				}
			}
		}
		return true
	})
	return out
}

// TestSourceCheckFires makes sure the check itself can fail: each rule on a bad example.
func TestSourceCheckFires(t *testing.T) {
	bad := `package bad
import ("sync"; "time"; "context"; "math/rand/v2")
var mu sync.Mutex
func f(ch chan int) {
	go f(ch)
	select {}
	ch <- 1
	<-ch
	time.Sleep(time.Second)
	_ = time.Now()
	context.WithTimeout(context.Background(), 1)
	_ = rand.IntN(3)
}`
	path := filepath.Join(t.TempDir(), "bad.go")
	if err := writeFile(path, bad); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(violations(t, path), "\n")
	for _, want := range []string{"imports sync", "go statement", "select statement", "channel send",
		"channel receive", "time.Sleep", "time.Now", "context.WithTimeout", "rand.IntN"} {
		if !strings.Contains(got, want) {
			t.Errorf("rule %q did not fire; report:\n%s", want, got)
		}
	}
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o644) }
