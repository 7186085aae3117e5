package translate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// ModulePath is the generated module of a translated directory.
const ModulePath = "simtest.local/kernel"

// BuildOptions say how Build builds a translated package.
type BuildOptions struct {
	// Root is the root directory of module github.com/muxsim/muxsim (see Root), whose
	// shims the translation imports. Required.
	Root string
	// Race builds with -race: the scheduler then hands control between tasks with its
	// race-preserving baton, and a data race between tasks fails the run (kind "race")
	// with the race detector's report. Default false.
	Race bool
}

// Binary is a built translated package: Command runs it, Remove deletes it.
type Binary struct {
	Path string // the executable
	Race bool   // built with -race
	tmp  string // the temporary directory holding it and the build's files
}

// Build builds a translated package, with a generated main that runs its tests under the
// scheduler; the caller removes the binary (Remove). A package inside a module is built
// where it is, through the go command's -overlay (buildOverlay); a plain directory is
// written into a fresh module in a temporary directory (a go.mod that requires this
// module, replaced by its root, and this module's go.sum, so that it builds offline from
// the module cache). The user's files are only read.
func Build(ctx context.Context, p *Package, o BuildOptions) (*Binary, error) {
	tmp, err := os.MkdirTemp("", "simtest-")
	if err != nil {
		return nil, err
	}
	b := &Binary{Path: filepath.Join(tmp, "simtest.bin"), Race: o.Race, tmp: tmp}
	if p.Module != "" {
		err = buildOverlay(ctx, p, b)
	} else {
		err = buildModule(ctx, p, o.Root, b)
	}
	if err != nil {
		b.Remove()
		return nil, err
	}
	return b, nil
}

// Remove deletes the binary and the build's temporary files.
func (b *Binary) Remove() { os.RemoveAll(b.tmp) }

// Command is the command that runs the binary with args. Under -race, GORACE (after the
// caller's own GORACE) sends the race detector's reports to a file of the temporary
// directory, which the scheduler reads back into the failing run's report; reports
// every run's race, though the detector otherwise reports a pair of stacks or an address
// once per process (so a later seed with the same race would pass); and exits 1, as for
// any failed run, instead of the detector's 66.
func (b *Binary) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, b.Path, args...)
	if b.Race {
		opts := "log_path=" + filepath.Join(b.tmp, "race") + " suppress_equal_stacks=0 suppress_equal_addresses=0 exitcode=1"
		cmd.Env = append(os.Environ(), "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" "+opts))
	}
	return cmd
}

// goBuild runs go build in dir with the extra arguments before the package ".".
func (b *Binary) goBuild(ctx context.Context, dir string, env []string, extra ...string) error {
	args := []string{"build"}
	if b.Race {
		args = append(args, "-race")
	}
	args = append(append(args, extra...), "-o", b.Path, ".")
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("build of the translation failed: %v\n%s", err, bytes.TrimSpace(out))
	}
	return nil
}

// buildModule builds a plain directory's translation as the main package of a fresh
// module in the binary's temporary directory.
func buildModule(ctx context.Context, p *Package, root string, b *Binary) error {
	gomod := "module " + ModulePath + "\n\ngo 1.26\n\nrequire github.com/muxsim/muxsim v0.0.0\n\nreplace github.com/muxsim/muxsim => " + root + "\n"
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return err
	}
	files := map[string][]byte{"go.mod": []byte(gomod), "go.sum": sum, "gort_main.go": mainFile(p)}
	for _, f := range p.Files {
		// Test files become ordinary files of the main package: go test's generator, which
		// would insist on func TestX(*testing.T), never sees them.
		name := strings.TrimSuffix(f.Name, ".go")
		files["src_"+strings.ReplaceAll(name, "_test", "_t")+".go"] = f.Src
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(b.tmp, name), src, 0o644); err != nil {
			return err
		}
	}
	return b.goBuild(ctx, b.tmp, []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local"})
}

// buildOverlay builds a package of a module in place: an overlay (a JSON file mapping
// paths to the translated copies in tmp) replaces each file by its translation, hides
// each test file and adds its translation as an ordinary file under another name, and
// adds the generated main. The module must be able to import the shims (this module, or
// one that requires it).
func buildOverlay(ctx context.Context, p *Package, b *Binary) error {
	replace := map[string]string{}
	add := func(path, name string, src []byte) error {
		copyPath := filepath.Join(b.tmp, name)
		replace[path] = copyPath
		return os.WriteFile(copyPath, src, 0o644)
	}
	for _, f := range p.Files {
		orig := filepath.Join(p.Dir, f.Name)
		if !strings.HasSuffix(f.Name, "_test.go") {
			if err := add(orig, f.Name, f.Src); err != nil {
				return err
			}
			continue
		}
		replace[orig] = "" // an empty replacement deletes the file from the build
		name := "gort_" + strings.TrimSuffix(f.Name, "_test.go") + "_t.go"
		if err := add(filepath.Join(p.Dir, name), name, f.Src); err != nil {
			return err
		}
	}
	if err := add(filepath.Join(p.Dir, "gort_main.go"), "gort_main.go", mainFile(p)); err != nil {
		return err
	}
	modfile, copied, err := copyModules(p, b.tmp)
	if err != nil {
		return err
	}
	for i, f := range p.Deps {
		if to, ok := copied(f.Path); ok {
			if err := os.WriteFile(to, f.Src, 0o644); err != nil {
				return err
			}
			continue
		}
		if err := add(f.Path, fmt.Sprintf("dep%d_%s", i, f.Name), f.Src); err != nil {
			return err
		}
	}
	js, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err != nil {
		return err
	}
	overlay := filepath.Join(b.tmp, "overlay.json")
	if err := os.WriteFile(overlay, js, 0o644); err != nil {
		return err
	}
	flags := []string{"-overlay", overlay}
	if modfile != "" {
		flags = append(flags, "-modfile", modfile)
	}
	return b.goBuild(ctx, p.Dir, nil, flags...)
}

// copyModules copies each module of p.Copies out of the module cache into tmp (its Go
// files but tests and testdata, and its go.mod) and writes a go.mod beside them: the
// package's module's own, with each module replaced by its copy (and its go.sum). It
// returns that file ("" when there is nothing to copy) and a function that maps a file
// of a copied module to its place in the copy.
func copyModules(p *Package, tmp string) (string, func(string) (string, bool), error) {
	none := func(string) (string, bool) { return "", false }
	if len(p.Copies) == 0 {
		return "", none, nil
	}
	gomod, err := os.ReadFile(filepath.Join(p.Module, "go.mod"))
	if err != nil {
		return "", none, err
	}
	mod := string(gomod)
	dirs := map[string]string{} // module cache directory -> its copy
	for i, m := range p.Copies {
		dst := filepath.Join(tmp, "mod", strconv.Itoa(i))
		if err := copyTree(m.Dir, dst); err != nil {
			return "", none, fmt.Errorf("copying %s@%s: %v", m.Path, m.Version, err)
		}
		dirs[m.Dir] = dst
		mod += "\nreplace " + m.Path + " " + m.Version + " => " + dst + "\n"
	}
	modfile := filepath.Join(tmp, "go.mod")
	if err := os.WriteFile(modfile, []byte(mod), 0o644); err != nil {
		return "", none, err
	}
	if sum, err := os.ReadFile(filepath.Join(p.Module, "go.sum")); err == nil {
		if err := os.WriteFile(filepath.Join(tmp, "go.sum"), sum, 0o644); err != nil {
			return "", none, err
		}
	}
	return modfile, func(path string) (string, bool) {
		for from, to := range dirs {
			if rel, err := filepath.Rel(from, path); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.Join(to, rel), true
			}
		}
		return "", false
	}, nil
}

// copyTree copies a module's go.mod and its Go files, tests and testdata directories
// left out, keeping the layout.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" || (path != from && strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if name != "go.mod" && (!strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go")) {
			return nil
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}

// mainFile is the generated main: gort.Main over the package's tests.
func mainFile(p *Package) []byte {
	var b strings.Builder
	b.WriteString("// Code generated by muxsim's translator. DO NOT EDIT.\n\npackage main\n\n")
	b.WriteString("import (\n\t\"os\"\n\n\tgort \"" + ShimPath + "\"\n)\n\n")
	b.WriteString("func main() {\n\tos.Exit(gort.Main([]gort.Test{\n")
	for _, t := range p.Tests {
		b.WriteString("\t\t{Name: " + strconv.Quote(t) + ", F: " + t + "},\n")
	}
	b.WriteString("\t}, os.Args[1:], os.Stdout, os.Stderr))\n}\n")
	return []byte(b.String())
}

// Root returns the root directory of module github.com/muxsim/muxsim: $MUXSIM_ROOT, else
// the module this package's source is in.
func Root() (string, error) {
	if r := os.Getenv("MUXSIM_ROOT"); r != "" {
		return r, nil
	}
	_, file, _, ok := runtime.Caller(0)
	if ok {
		root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
		if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil && bytes.HasPrefix(b, []byte("module github.com/muxsim/muxsim\n")) {
			return root, nil
		}
	}
	return "", fmt.Errorf("cannot find the muxsim module's root: set MUXSIM_ROOT")
}
