package simcli

import (
	"bytes"
	"strings"
	"testing"
)

// TestSimrunTest: "simrun test DIR" runs ordinary Go tests translated (sim/translate): a
// program that waits on a nil channel forever is a deadlock verdict on every seed (exit
// 1), its report ends with the replay command, a correct one passes every seed (exit 0),
// a bad flag is a usage error (exit 2), and a program of its own (Config.Name) prints
// replay commands that run it.
func TestSimrunTest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds translated tests; -short skips it")
	}
	for _, c := range []struct {
		dir  string
		code int
		want string
	}{
		{"../translate/testdata/constructs/nilblock", 1, "failure=deadlock"},
		{"../translate/testdata/constructs/once", 0, "ok=true"},
	} {
		var out, errb bytes.Buffer
		code := Run([]string{"test", c.dir, "-seeds", "1-3"}, &out, &errb, Config{})
		if code != c.code || strings.Count(out.String(), c.want) != 3 {
			t.Errorf("simrun test %s -seeds 1-3: exit %d (want %d), want 3 lines with %q:\n%s%s", c.dir, code, c.code, c.want, out.String(), errb.String())
		}
		replay := "replay: go run ./cmd/simrun test " + c.dir + " -run '^TestNilBlock$' -seeds 1 -strategy "
		if failed := code != 0; strings.Contains(errb.String(), replay) != failed {
			t.Errorf("simrun test %s: want a line starting %q exactly when a run fails:\n%s", c.dir, replay, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := Run([]string{"test", "-bogus"}, &out, &errb, Config{}); code != 2 {
		t.Errorf("simrun test -bogus: exit %d, want 2", code)
	}
	// A program of its own replays through itself.
	dir := "../translate/testdata/constructs/nilblock"
	out.Reset()
	errb.Reset()
	Run([]string{"test", dir, "-seeds", "1"}, &out, &errb, Config{Name: "mysim"})
	if want := "replay: go run ./cmd/mysim test " + dir + " "; !strings.Contains(errb.String(), want) {
		t.Errorf("Config{Name: mysim}: want a replay line starting %q:\n%s", want, errb.String())
	}
}
