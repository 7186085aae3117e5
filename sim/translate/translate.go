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
}

// File is one translated file.
type File struct {
	Name string // the original file's base name
	Src  []byte // the translation, opening with a //line directive to the original
}

// testName is go test's rule for a test function's name.
var testName = regexp.MustCompile(`^Test([^a-z].*)?$`)

// Dir translates the Go files of one directory (tests included; one package), type
// checked against the standard library. Every error it returns names a position in the
// original files: a parse or type error, or a construct the translator does not support.
func Dir(dir string) (*Package, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	l, err := load(abs)
	if err != nil {
		return nil, err
	}
	fset, files, srcs, info, pkg := l.fset, l.files, l.srcs, l.info, l.pkg
	p := &Package{Dir: abs, Name: files[0].Name.Name, Module: l.module}
	var errs []error
	for _, f := range files {
		path := fset.File(f.Pos()).Name()
		r := &rewriter{
			editor: &editor{src: srcs[f], base: fset.File(f.Pos()).Base()},
			fset:   fset, info: info, pkg: pkg, commaOK: map[*ast.UnaryExpr]bool{},
		}
		ast.Inspect(f, r.visit)
		// The package becomes main, and imports the shims on its own line.
		r.replace(f.Name.Pos(), f.Name.End(), func() string { return "main; import gort " + strconv.Quote(ShimPath) })
		errs = append(errs, r.errs...)
		if strings.HasSuffix(path, "_test.go") {
			p.Tests = append(p.Tests, tests(f, info)...)
		}
		out := r.render(0, len(r.src)) + "\nvar _ = gort.Go\n"
		out, err := blankUnused(out)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: translation does not parse: %v", path, err))
			continue
		}
		p.Files = append(p.Files, File{Name: filepath.Base(path), Src: []byte("//line " + path + ":1\n" + out)})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return p, nil
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
