package translate

import (
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
		r := RunKernel(k, root, []string{"-seeds", "1-20", "-watchdog", "2s"}, 2*time.Minute)
		if !r.Found || (r.Kind != "deadlock" && r.Kind != "leak") {
			t.Errorf("%s: found=%t kind=%q cannot-run=%q after %d runs; replay: go run ./cmd/gokerbench -run %s -seeds 1-20", k.Name, r.Found, r.Kind, r.CantRun, r.Runs, k.Name)
		}
	}
	for name := range want {
		t.Errorf("kernel %s is not in %s", name, goker)
	}
}
