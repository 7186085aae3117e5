package translate

import (
	"fmt"
	"go/ast"
	"go/types"
	"io"
	"strings"
)

// Escape is a call in translated code that the schedule cannot see into: a standard
// library call that blocks in the kernel or runs goroutines of its own, or a call into
// an untranslated package that synchronises with its own locks, goroutines or channels.
// At run time such a call is either quick (and invisible to the schedule: its
// interleavings are not explored) or an escape verdict from the watchdog, never a hang.
type Escape struct {
	Pos  string // file:line in the original file
	Call string // the package-qualified callee: net.Dial, (*os/exec.Cmd).Wait
	Why  string
}

// escapeStd are the standard-library packages whose calls may block in the kernel or
// start goroutines outside the schedule, with the reason.
var escapeStd = map[string]string{
	"net":       "network I/O blocks in the kernel, outside the schedule",
	"net/http":  "runs goroutines of its own and blocks on network I/O, outside the schedule",
	"net/rpc":   "runs goroutines of its own and blocks on network I/O, outside the schedule",
	"os/exec":   "runs a process: Wait and the output pipes block, and copy in goroutines, outside the schedule",
	"os/signal": "delivers signals from a goroutine of its own",
	"syscall":   "a system call can block in the kernel",
}

// escapeFuncs are single standard-library functions that do, with the reason.
var escapeFuncs = map[string]string{
	"io.Pipe": "its reads and writes wait on real locks, outside the schedule",
	"os.Pipe": "reads and writes of a pipe block in the kernel",
}

// concurrencyImports are the imports that make an untranslated package's calls suspect:
// it may lock, wait or start goroutines.
var concurrencyImports = []string{"sync", "sync/atomic", "time", "context", "net", "os/exec"}

// escape records c if it calls into what the schedule cannot see.
func (r *rewriter) escape(c *ast.CallExpr) {
	fn := r.callee(c)
	if fn == nil || fn.Pkg() == nil || fn.Pkg() == r.pkg || r.translated[fn.Pkg().Path()] {
		return
	}
	path := fn.Pkg().Path()
	why, ok := escapeStd[path]
	if ok && harmless(fn) {
		return
	}
	if !ok {
		why, ok = escapeFuncs[path+"."+fn.Name()]
	}
	if !ok && !stdPath(path) && !strings.HasPrefix(path, "github.com/muxsim/muxsim/") {
		if imp := concurrent(fn.Pkg()); imp != "" {
			why, ok = "an untranslated package that imports "+imp+": its locks, goroutines and channels run outside the schedule (translate it with -translate)", true
		}
	}
	if ok {
		r.escapes = append(r.escapes, Escape{Pos: position(r.fset.Position(c.Pos())), Call: funcName(fn), Why: why})
	}
}

// harmless reports whether a call of an escaping package neither blocks nor starts
// goroutines: exec.Command builds a value; the methods of net's addresses and errors
// describe.
func harmless(fn *types.Func) bool {
	sig, _ := fn.Type().(*types.Signature)
	switch fn.Pkg().Path() {
	case "os/exec":
		switch fn.Name() {
		case "Run", "Start", "Wait", "Output", "CombinedOutput":
			return false
		}
		return true
	case "net":
		if sig != nil && sig.Recv() != nil {
			t := sig.Recv().Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := t.(*types.Named); ok {
				name := n.Obj().Name()
				return strings.HasSuffix(name, "Addr") || strings.HasSuffix(name, "Error")
			}
		}
	}
	return false
}

// stdPath reports whether an import path is the standard library's: no dot in its first
// element.
func stdPath(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// concurrent returns the first of concurrencyImports that pkg imports directly, or "".
func concurrent(pkg *types.Package) string {
	for _, want := range concurrencyImports {
		for _, imp := range pkg.Imports() {
			if imp.Path() == want {
				return want
			}
		}
	}
	return ""
}

// funcName is a callee as a person reads it: net.Dial, (*os/exec.Cmd).Wait.
func funcName(fn *types.Func) string {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return fn.Pkg().Path() + "." + fn.Name()
	}
	return "(" + types.TypeString(sig.Recv().Type(), nil) + ")." + fn.Name()
}

// position is file:line, the file's base name.
func position(p interface {
	String() string
}) string {
	s := p.String()
	if i := strings.LastIndex(s, ":"); i > 0 && strings.Count(s, ":") >= 2 {
		s = s[:i] // drop the column
	}
	if i := strings.LastIndex(s, "/"); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// WriteEscapes prints each escape site, one per line, in source order: "file:line:
// call: why", then a count.
func WriteEscapes(w io.Writer, es []Escape) {
	for _, e := range es {
		fmt.Fprintf(w, "%s: %s: %s\n", e.Pos, e.Call, e.Why)
	}
	fmt.Fprintf(w, "%d call sites the schedule cannot see into\n", len(es))
}
