package translate

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// TestGoKer runs a handful of GoKer kernels, unmodified, with 20 seeds each, and checks
// that each bug is found: a deadlock or leak verdict (the kernels are blocking bugs, so
// a passing sweep or a translation failure is a miss). It is skipped when the GoKer
// directory is absent (GOKER_DIR, or ../shared/gobench/goker beside the module) and
// under -short. The full table is cmd/gokerbench (docs/gobench.md).
func TestGoKer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs GoKer kernels")
	}
	goker := GoKerDir()
	if goker == "" {
		t.Skip("no GoKer directory")
	}
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	ks, err := Kernels(goker)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"grpc_660": true, "etcd_7443": true, "cockroach_1055": true, "hugo_5379": true, "moby_4395": true, "kubernetes_70277": true}
	for _, k := range ks {
		if !want[k.Name] {
			continue
		}
		delete(want, k.Name)
		r := RunKernel(k, BuildOptions{Root: root}, []string{"-seeds", "1-20", "-watchdog", "2s"}, 2*time.Minute)
		if !r.Found || (r.Kind != "deadlock" && r.Kind != "leak") {
			t.Errorf("%s: found=%t kind=%q cannot-run=%q after %d runs; replay: go run ./cmd/gokerbench -run %s -seeds 1-20", k.Name, r.Found, r.Kind, r.CantRun, r.Runs, k.Name)
		}
	}
	for name := range want {
		t.Errorf("kernel %s is not in %s", name, goker)
	}
}

// TestGoKerDeterminism runs every GoKer kernel with seeds 1-100 twice in one invocation,
// built with -race as the GoKer table is (so the race detector's verdicts are compared
// too), and checks that each seed gives the same verdict line, trace hash included, both
// times. It takes a few minutes, so it runs only with MUXSIM_GOKER_FULL=1 (and not under
// -short), besides needing the GoKer directory and cgo.
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
	for _, k := range ks {
		var out, errb bytes.Buffer
		Main([]string{"test", k.Dir, "-race", "-seeds", "1-100,1-100", "-max-steps", "200000", "-watchdog", "2s"}, &out, &errb)
		var lines []string
		for _, l := range strings.Split(out.String(), "\n") {
			if i := strings.Index(l, "scenario="); i >= 0 { // a kernel's own output may precede it
				lines = append(lines, l[i:])
			}
		}
		if len(lines) != 200 {
			t.Errorf("%s: %d verdict lines, want 200:\n%s", k.Name, len(lines), errb.String())
			continue
		}
		for i := range 100 {
			if lines[i] != lines[i+100] {
				t.Errorf("%s: seed %d twice:\n%s\n%s\nreplay: go run ./cmd/gokerbench -run %s -seeds %d", k.Name, i+1, lines[i], lines[i+100], k.Name, i+1)
				break
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
