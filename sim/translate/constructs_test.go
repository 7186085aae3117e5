package translate

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestConstructs runs each small program of testdata/constructs under the real Go runtime
// (go test on a copy, in a module of its own) and translated under the scheduler (Main,
// 20 seeds), and checks that they agree: the programs that pass natively pass on every
// seed, and the one that blocks forever natively (a receive from a nil channel, which
// go test reports as a timeout) is a deadlock verdict on every seed. Method: each
// program checks its outcomes with t.Fatal, so agreement is both exit statuses. Building
// takes a few seconds per program, so -short skips it.
func TestConstructs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds each program twice")
	}
	cases := []struct {
		dir   string
		hangs bool // natively blocks forever; translated, a deadlock verdict
		tests int  // Test functions in the program, when more than one
	}{
		{"selectdefault", false, 1},
		{"nilselect", false, 1},
		{"closedrecv", false, 1},
		{"chanrange", false, 1},
		{"waitgroup", false, 1},
		{"once", false, 1},
		{"mutex", false, 1},
		{"timectx", false, 1},
		{"spin", false, 1},
		{"timepass", false, 2},
		{"maporder", false, 1},
		{"nilblock", true, 1},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			dir, err := filepath.Abs(filepath.Join("testdata", "constructs", c.dir))
			if err != nil {
				t.Fatal(err)
			}
			native, nout := runNative(t, dir, "-timeout=3s")
			var out, errb bytes.Buffer
			code := Main([]string{"test", dir, "-seeds", "1-20"}, &out, &errb)
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			switch {
			case !c.hangs && (!native || code != 0):
				t.Fatalf("native passed=%t, translated exit %d; want both to pass\nnative:\n%s\ntranslated:\n%s%s", native, code, nout, out.String(), errb.String())
			case c.hangs && (native || !strings.Contains(nout, "test timed out")):
				t.Fatalf("natively the program did not block forever:\n%s", nout)
			case c.hangs && (code != 1 || len(lines) != 20 || strings.Count(out.String(), "failure=deadlock") != 20):
				t.Fatalf("translated: want a deadlock verdict on each of 20 seeds, got exit %d:\n%s%s", code, out.String(), errb.String())
			case len(lines) != 20*max(1, c.tests):
				t.Fatalf("want %d verdict lines, got %d:\n%s", 20*max(1, c.tests), len(lines), out.String())
			}
		})
	}
}

// TestRaceConstructs runs two programs under -race, natively (go test -race) and
// translated (simrun test -race, 20 seeds): testdata/constructs/racefree shares memory
// only through the edges of Go's primitives (WaitGroup, Mutex, RWMutex, channels, Cond,
// Once, atomics, AfterFunc, context, math/rand's global functions, t.Log), so the
// detector must report nothing on any seed, which a shim that makes no edge of its own
// primitive fails; testdata/constructs/racy races on every schedule (an unsynchronised
// counter; two writers under RLock), so every seed must fail with failure=race, which a
// shim that makes an edge Go does not (readers ordered by RLock) fails. It needs cgo and
// builds each program twice, so it is skipped without cgo and under -short.
func TestRaceConstructs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds each program twice with -race")
	}
	if out, err := exec.Command("go", "env", "CGO_ENABLED").Output(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Skip("-race needs cgo")
	}
	for _, c := range []struct {
		dir   string
		racy  bool
		tests int
	}{{"racefree", false, 5}, {"racy", true, 2}} {
		t.Run(c.dir, func(t *testing.T) {
			dir, err := filepath.Abs(filepath.Join("testdata", "constructs", c.dir))
			if err != nil {
				t.Fatal(err)
			}
			native, nout := runNative(t, dir, "-race", "-timeout=20s")
			if native == c.racy || c.racy != strings.Contains(nout, "WARNING: DATA RACE") {
				t.Fatalf("natively under -race: passed=%t; want racy=%t:\n%s", native, c.racy, nout)
			}
			var out, errb bytes.Buffer
			code := Main([]string{"test", dir, "-race", "-seeds", "1-20"}, &out, &errb)
			runs, races := strings.Count(out.String(), "scenario="), strings.Count(out.String(), "failure=race")
			want := 0
			if c.racy {
				want = runs
			}
			if runs != 20*c.tests || races != want || (code == 0) == c.racy {
				t.Fatalf("translated -race: exit %d, %d runs, %d race verdicts; want %d runs, %d races:\n%s%s",
					code, runs, races, 20*c.tests, want, out.String(), errb.String())
			}
			if c.racy && !strings.Contains(errb.String(), "WARNING: DATA RACE") {
				t.Fatalf("the failure report does not carry the race detector's report:\n%s", errb.String())
			}
		})
	}
}

// runNative runs go test with flags on a copy of the program's directory, in a module of
// its own, and reports whether it passed.
func runNative(t *testing.T, dir string, flags ...string) (bool, string) {
	t.Helper()
	tmp := t.TempDir()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte("module native.local/p\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", append(append([]string{"test", "-count=1"}, flags...), ".")...)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	return err == nil, string(out)
}

// TestDeterminism checks that a translated test gives the same verdict line, hash
// included, when a seed runs twice, and different hashes for different seeds. Method:
// Main over the GoKer-like program in testdata/constructs/waitgroup and over
// testdata/constructs/maporder (whose goroutines start in map order, so that a map order
// not drawn from the seed would change the hash), seeds 1-5 then 1-5 again in one
// invocation.
func TestDeterminism(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	for _, prog := range []string{"waitgroup", "maporder"} {
		dir, _ := filepath.Abs(filepath.Join("testdata", "constructs", prog))
		var out, errb bytes.Buffer
		if code := Main([]string{"test", dir, "-seeds", "1-5,1-5", "-strategy", "random"}, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d:\n%s%s", prog, code, out.String(), errb.String())
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != 10 {
			t.Fatalf("%s: want 10 lines, got:\n%s", prog, out.String())
		}
		hashes := map[string]bool{}
		for i := 0; i < 5; i++ {
			if lines[i] != lines[i+5] {
				t.Errorf("%s: seed %d twice:\n%s\n%s", prog, i+1, lines[i], lines[i+5])
			}
			hashes[lines[i][strings.Index(lines[i], "hash="):]] = true
		}
		if len(hashes) < 2 {
			t.Errorf("%s: five seeds gave one hash:\n%s", prog, out.String())
		}
	}
}

// TestMainUsage checks Main's exit statuses for bad usage (2) and for a directory that
// cannot be translated (1, with the reason on stderr).
func TestMainUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"test", "-bogus"}, &out, &errb); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
	errb.Reset()
	if code := Main([]string{"test", t.TempDir()}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "no Go files") {
		t.Errorf("empty directory: exit %d, stderr %q; want 1 and the reason", code, errb.String())
	}
}

// TestInModuleOverlay checks the -overlay build of a package inside a module that
// imports another package of it (testdata/inmodule imports sim): Main translates it with
// go/packages, builds it in place and passes every seed, and the user's file is left as
// it was.
func TestInModuleOverlay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	path := filepath.Join("testdata", "inmodule", "x_test.go")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Main([]string{"test", filepath.Dir(path), "-seeds", "1-5"}, &out, &errb); code != 0 || strings.Count(out.String(), "ok=true") != 5 {
		t.Fatalf("exit %d, want 0 and 5 passing runs:\n%s%s", code, out.String(), errb.String())
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("the user's file changed")
	}
}
