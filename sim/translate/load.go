package translate

import (
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/packages"
)

// loaded is a directory's package, parsed and type checked.
type loaded struct {
	fset   *token.FileSet
	files  []*ast.File
	srcs   map[*ast.File][]byte
	info   *types.Info
	pkg    *types.Package
	module string // the module root, "" outside any module
	// imports are the import paths the package depends on, directly or not (only from
	// go/packages: inside a module).
	imports map[string]bool
	// cached is the module the package comes from when it is a version in the module
	// cache, which the overlay cannot replace (a dependency; nil otherwise).
	cached *Module
}

// load parses and type checks the package of dir, its test files included: with
// go/packages when dir is inside a module (its imports may be the module's own
// packages), else with go/parser and go/types against the standard library.
func load(dir string) (*loaded, error) {
	if mod := moduleOf(dir); mod != "" {
		return loadPackages(dir, mod)
	}
	return loadPlain(dir)
}

// moduleOf returns the root of the module dir belongs to, or "".
func moduleOf(dir string) string {
	cmd := exec.Command("go", "env", "GOMOD")
	cmd.Dir = dir
	out, err := cmd.Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return ""
	}
	return filepath.Dir(gomod)
}

func newInfo() *types.Info {
	return &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Uses:       map[*ast.Ident]types.Object{},
		Defs:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
}

// loadPackages loads the test variant of dir's package (its files and its in-package
// test files) with go/packages.
func loadPackages(dir, mod string) (*loaded, error) {
	fset := token.NewFileSet()
	cfg := &packages.Config{
		Mode:  packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports | packages.NeedDeps,
		Dir:   dir,
		Tests: true,
		Fset:  fset,
	}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		return nil, err
	}
	var pick *packages.Package
	for _, p := range pkgs {
		if strings.HasSuffix(p.Name, "_test") && strings.Contains(p.ID, "[") {
			return nil, fmt.Errorf("%s: unsupported: an external test package (%s)", dir, p.Name)
		}
		// The test variant ("p [p.test]") has the test files; a package without tests
		// has only the plain one.
		if strings.HasSuffix(p.ID, ".test]") || (pick == nil && !strings.HasSuffix(p.ID, ".test")) {
			pick = p
		}
	}
	if pick == nil {
		return nil, fmt.Errorf("%s: no package", dir)
	}
	var errs []error
	for _, e := range pick.Errors {
		errs = append(errs, e)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("type errors: %w", errors.Join(errs...))
	}
	l := &loaded{fset: fset, files: pick.Syntax, srcs: map[*ast.File][]byte{}, info: pick.TypesInfo, pkg: pick.Types, module: mod,
		imports: map[string]bool{}}
	packages.Visit([]*packages.Package{pick}, nil, func(p *packages.Package) { l.imports[p.PkgPath] = true })
	for _, f := range pick.Syntax {
		src, err := os.ReadFile(fset.File(f.Pos()).Name())
		if err != nil {
			return nil, err
		}
		l.srcs[f] = src
	}
	return l, nil
}

// loadPlain parses and type checks a plain directory's Go files against the standard
// library.
func loadPlain(abs string) (*loaded, error) {
	names, err := goFiles(abs)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no Go files", abs)
	}
	l := &loaded{fset: token.NewFileSet(), srcs: map[*ast.File][]byte{}, info: newInfo()}
	for _, name := range names {
		path := filepath.Join(abs, name)
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(l.fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		if len(l.files) > 0 && f.Name.Name != l.files[0].Name.Name {
			return nil, fmt.Errorf("%s: unsupported: two packages in one directory (%s and %s)", abs, l.files[0].Name.Name, f.Name.Name)
		}
		l.files = append(l.files, f)
		l.srcs[f] = src
	}
	var typeErrs []error
	conf := types.Config{Importer: importer.Default(), Error: func(err error) { typeErrs = append(typeErrs, err) }}
	l.pkg, _ = conf.Check(l.files[0].Name.Name, l.fset, l.files, l.info)
	if len(typeErrs) > 0 {
		return nil, fmt.Errorf("type errors: %w", errors.Join(typeErrs...))
	}
	return l, nil
}

// loadDeps loads the packages the patterns match that the package depends on (imports,
// directly or not), seen from dir's module, each parsed and type checked without its
// tests.
func loadDeps(dir string, patterns []string, imports map[string]bool) ([]*loaded, error) {
	fset := token.NewFileSet()
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo |
			packages.NeedImports | packages.NeedModule,
		Dir:  dir,
		Fset: fset,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	var out []*loaded
	var errs []error
	for _, p := range pkgs {
		for _, e := range p.Errors {
			errs = append(errs, fmt.Errorf("%s: %v", p.PkgPath, e))
		}
		if len(p.Syntax) == 0 || !imports[p.PkgPath] {
			continue
		}
		l := &loaded{fset: fset, files: p.Syntax, srcs: map[*ast.File][]byte{}, info: p.TypesInfo, pkg: p.Types}
		if m := p.Module; m != nil && !m.Main && m.Replace == nil && m.Version != "" {
			l.cached = &Module{Path: m.Path, Version: m.Version, Dir: m.Dir}
		}
		for _, f := range p.Syntax {
			src, err := os.ReadFile(fset.File(f.Pos()).Name())
			if err != nil {
				return nil, err
			}
			l.srcs[f] = src
		}
		out = append(out, l)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("dependencies: %w", errors.Join(errs...))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no dependency of the package matches %s", strings.Join(patterns, " "))
	}
	return out, nil
}
