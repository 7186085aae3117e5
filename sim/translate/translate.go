package translate

import (
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// ShimPath is the import path of the shims translated code calls.
const ShimPath = "github.com/muxsim/muxsim/sim/gort"

// Package is a directory's package, translated into a main package that runs its tests
// under the scheduler.
type Package struct {
	Dir   string
	Name  string   // the original package name
	Files []File   // the translated files, the test files among them
	Tests []string // the Test functions, in go test's order
	// Module is the root of the module the directory belongs to, "" for a plain
	// directory outside any module (Build chooses the overlay or a temporary module).
	Module string
	// Deps are the translated files of the dependencies Options.Deps selected, each in
	// its own package: the overlay build puts each in place of its original.
	Deps []File
	// Escapes are the calls of the translated code that the schedule cannot see into
	// (simrun test -explain), in source order, the package's files first.
	Escapes []Escape
	// Copies are the modules of Deps that are versions in the module cache, which the
	// go command's overlay may not replace: the build copies each, puts the translated
	// files in the copy, and replaces the module by it (through -modfile, so the user's
	// go.mod is only read).
	Copies []Module
}

// Module is a module version in the module cache.
type Module struct {
	Path, Version string
	Dir           string // its directory in the module cache
}

// File is one translated file.
type File struct {
	Name string // the original file's base name
	Src  []byte // the translation, opening with a //line directive to the original
	Path string // the original file's absolute path (set for Package.Deps)
}

// Options say what Dir translates besides the directory's own package.
type Options struct {
	// Deps are import path patterns, as the go command takes them (storj.io/drpc/...),
	// of dependencies to translate as well, so that their goroutines, channels and locks
	// run under the scheduler too; their test files are left out. Only for a directory
	// inside a module. Default none: a dependency runs as it is, outside the schedule.
	Deps []string
}

// testName is go test's rule for a test function's name.
var testName = regexp.MustCompile(`^Test([^a-z].*)?$`)

// Dir translates the Go files of one directory (tests included; one package), type
// checked against the standard library or, inside a module, the module's packages, and
// the dependencies o.Deps selects. Every error it returns names a position in the
// original files: a parse or type error, or a construct the translator does not support.
func Dir(dir string, o Options) (*Package, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	l, err := load(abs)
	if err != nil {
		return nil, err
	}
	var deps []*loaded
	if len(o.Deps) > 0 {
		if l.module == "" {
			return nil, fmt.Errorf("%s: dependencies can be translated only for a package inside a module", abs)
		}
		if deps, err = loadDeps(abs, o.Deps, l.imports); err != nil {
			return nil, err
		}
	}
	translated := map[string]bool{l.pkg.Path(): true}
	for _, d := range deps {
		translated[d.pkg.Path()] = true
	}
	p := &Package{Dir: abs, Name: l.files[0].Name.Name, Module: l.module}
	var errs []error
	for _, f := range l.files {
		// The package becomes main, and imports the shims on its own line.
		tf, es, err := translateFile(l, f, translated, "main")
		errs = append(errs, err)
		p.Escapes = append(p.Escapes, es...)
		if strings.HasSuffix(tf.Path, "_test.go") {
			p.Tests = append(p.Tests, tests(f, l.info)...)
		}
		p.Files = append(p.Files, tf)
	}
	for _, d := range deps {
		if d.cached != nil && !slices.Contains(p.Copies, *d.cached) {
			p.Copies = append(p.Copies, *d.cached)
		}
		for _, f := range d.files {
			tf, es, err := translateFile(d, f, translated, f.Name.Name)
			errs = append(errs, err)
			p.Escapes = append(p.Escapes, es...)
			p.Deps = append(p.Deps, tf)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return p, nil
}

// translateFile translates one file of a loaded package, renaming its package to name
// and importing the shims on the package clause's line; translated are the import
// paths of the packages translated with it, whose channels are the shims' too. It also
// returns the file's escape sites.
func translateFile(l *loaded, f *ast.File, translated map[string]bool, name string) (File, []Escape, error) {
	path := l.fset.File(f.Pos()).Name()
	r := &rewriter{
		editor: &editor{src: l.srcs[f], base: l.fset.File(f.Pos()).Base()},
		fset:   l.fset, info: l.info, pkg: l.pkg, translated: translated, commaOK: map[*ast.UnaryExpr]bool{},
		keep: map[*ast.ChanType]bool{},
	}
	ast.Inspect(f, r.visit)
	clause := name + "; import gort " + strconv.Quote(ShimPath)
	for _, spec := range f.Imports {
		if p, _ := strconv.Unquote(spec.Path.Value); p == ShimPath && (spec.Name == nil || spec.Name.Name == "gort") {
			clause = name // the file calls the shims itself (gort.Runtime)
		}
	}
	r.replace(f.Name.Pos(), f.Name.End(), func() string { return clause })
	out := r.render(0, len(r.src)) + "\nvar _ = gort.Go\n"
	out, err := blankUnused(out)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("%s: translation does not parse: %v", path, err))
	}
	tf := File{Name: filepath.Base(path), Src: []byte("//line " + path + ":1\n" + out), Path: path}
	return tf, r.escapes, errors.Join(r.errs...)
}

// goFiles lists the directory's Go files that the default build context takes, sorted.
func goFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, e.Name()); err != nil || !ok {
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

// tests returns a test file's Test functions, in source order.
func tests(f *ast.File, info *types.Info) []string {
	var out []string
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || !testName.MatchString(fd.Name.Name) {
			continue
		}
		sig, ok := info.Defs[fd.Name].Type().(*types.Signature)
		if ok && sig.Params().Len() == 1 && sig.Results().Len() == 0 && sig.Params().At(0).Type().String() == "*testing.T" {
			out = append(out, fd.Name.Name)
		}
	}
	return out
}

// blankUnused turns the imports that the translation no longer uses (sync, once every
// use became a shim) into blank imports, on their lines.
func blankUnused(src string) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil {
		return "", err
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := s.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	type cut struct {
		pos, end int
		text     string
	}
	var cuts []cut
	for _, spec := range f.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		name := importName(path)
		if spec.Name != nil {
			name = spec.Name.Name
		}
		if name == "_" || name == "." || used[name] {
			continue
		}
		cuts = append(cuts, cut{fset.Position(spec.Pos()).Offset, fset.Position(spec.End()).Offset, "_ " + spec.Path.Value})
	}
	for i := len(cuts) - 1; i >= 0; i-- {
		c := cuts[i]
		src = src[:c.pos] + c.text + src[c.end:]
	}
	return src, nil
}

// importName is the package name an import path gives by default: its last element
// (the standard library's names all follow it; math/rand/v2 is rand).
func importName(path string) string {
	elems := strings.Split(path, "/")
	last := elems[len(elems)-1]
	if len(elems) > 1 && regexp.MustCompile(`^v[0-9]+$`).MatchString(last) {
		last = elems[len(elems)-2]
	}
	return last
}
