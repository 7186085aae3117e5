package translate

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// gokerMinFound is how many of GoKer's 78 kernels TestGoKer must find with its budget
// (the portfolio, seeds 1-50, -race): the full table (docs/gobench.md, seeds 1-1000)
// finds 77, all within 37 portfolio seeds but kubernetes_11298 (58). A change that loses
// a kernel within the budget fails the test.
const gokerMinFound = 76

// TestGoKer runs every GoKer kernel, unmodified, built with -race, under the portfolio
// with seeds 1-50 (each kernel stops at its first failure that counts, as in the table),
// and checks that at least
// gokerMinFound are found and that none cannot run or hangs the harness (a kernel's
// sweep has two minutes). It is skipped when the GoKer directory is absent (GOKER_DIR,
// or ../shared/gobench/goker beside the module), without cgo, and under -short. The full
// table is cmd/gokerbench (docs/gobench.md).
func TestGoKer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the GoKer kernels")
	}
	goker := GoKerDir()
	if goker == "" {
		t.Skip("no GoKer directory")
	}
	if out, err := exec.Command("go", "env", "CGO_ENABLED").Output(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Skip("-race needs cgo")
	}
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	ks, err := Kernels(goker)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	var missed []string
	for _, k := range ks {
		r := Bench(k, BuildOptions{Root: root, Race: true}, []string{"portfolio"}, "1-50", []string{"-watchdog", "2s"}, 2*time.Minute)
		if len(r.Cols) == 1 && r.Cols[0].CantRun != "" {
			r.CantRun = r.Cols[0].CantRun
		}
		switch {
		case r.CantRun != "":
			t.Errorf("%s cannot run: %s", k.Name, r.CantRun)
		case r.Found:
			found++
		default:
			missed = append(missed, k.Name)
		}
	}
	t.Logf("found %d of %d kernels within 50 portfolio seeds; missed: %s", found, len(ks), strings.Join(missed, " "))
	if found < gokerMinFound {
		t.Errorf("found %d of %d kernels, want at least %d; missed: %s\nthe table: go run ./cmd/gokerbench -strategies portfolio -seeds 1-50",
			found, len(ks), gokerMinFound, strings.Join(missed, " "))
	}
}

// TestGoKerDeterminism runs every GoKer kernel twice per seed in one invocation and
// checks that each seed gives the same verdict line, trace hash included, both times:
// seeds 1-100 in a plain build, and seeds 1-20 built with -race as the GoKer table is
// (the race detector's verdicts compared too; a race build's step costs several times a
// plain one's). It takes about ten minutes, so it runs only with MUXSIM_GOKER_FULL=1
// (and not under -short), besides needing the GoKer directory (and cgo for -race).
func TestGoKerDeterminism(t *testing.T) {
	if testing.Short() || os.Getenv("MUXSIM_GOKER_FULL") == "" {
		t.Skip("set MUXSIM_GOKER_FULL=1 to run every kernel twice")
	}
	goker := GoKerDir()
	if goker == "" {
		t.Skip("no GoKer directory")
	}
	ks, err := Kernels(goker)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		race  bool
		seeds int
	}{{false, 100}, {true, 20}} {
		list := fmt.Sprintf("1-%d,1-%d", c.seeds, c.seeds)
		for _, k := range ks {
			args := []string{"test", k.Dir, "-seeds", list, "-max-steps", "200000", "-watchdog", "2s"}
			if c.race {
				args = append(args, "-race")
			}
			var out, errb bytes.Buffer
			Main(args, &out, &errb)
			var lines []string
			for _, l := range strings.Split(out.String(), "\n") {
				if i := strings.Index(l, "scenario="); i >= 0 { // a kernel's own output may precede it
					lines = append(lines, l[i:])
				}
			}
			if len(lines) != 2*c.seeds {
				t.Errorf("%s (race %t): %d verdict lines, want %d:\n%s", k.Name, c.race, len(lines), 2*c.seeds, errb.String())
				continue
			}
			for i := range c.seeds {
				if lines[i] != lines[i+c.seeds] {
					t.Errorf("%s (race %t): seed %d twice:\n%s\n%s\nreplay: go run ./cmd/simrun test %s -seeds %d,%d", k.Name, c.race, i+1, lines[i], lines[i+c.seeds], k.Dir, i+1, i+1)
					break
				}
			}
		}
	}
}

// TestSeedList checks that a sweep resumed after a seed left at the step limit passes the
// rest of the seeds as the binary parses them: consecutive seeds as ranges, in order.
func TestSeedList(t *testing.T) {
	for _, c := range []struct {
		seeds []uint64
		want  string
	}{
		{[]uint64{5, 6, 7, 100}, "5-7,100"},
		{[]uint64{3}, "3"},
		{[]uint64{9, 1, 2}, "9,1-2"},
	} {
		if got := seedList(c.seeds); got != c.want {
			t.Errorf("seedList(%v) = %q, want %q", c.seeds, got, c.want)
		}
	}
}
