package runfile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/sim"
)

// simrunFile and simtestFile are the two headers the front ends write, byte for byte as
// they wrote them before they shared this package: simrun's with every field, in this
// order, and simtest's with the seed alone.
const (
	simrunFile = "# muxsim decisions (failure bundle of pct3); replay: simrun -replay x.decisions\n" +
		"scenario=mux-drain seed=42 hash=00000000deadbeef bug=B3 param.streams=4 param.rounds=2 suppress=1,3 jitter=on\n" +
		"1 0 -2 3\n"
	simtestFile = "# muxsim decisions: TestX seed 7 strategy random; replay: go test -run '^TestX$' -sim.replay=x\n" +
		"seed=7\n"
)

func simrunScript() *Script {
	return &Script{Scenario: "mux-drain", Seed: 42, Bug: "B3", Params: sim.Params{}.With("streams", 4).With("rounds", 2),
		Suppress: []int{1, 3}, Jitter: true, Decisions: []int32{1, 0, -2, 3}, Hash: 0xdeadbeef}
}

// TestWriteFormats: Write gives each front end's file exactly, and Read reads it back to
// the same script.
func TestWriteFormats(t *testing.T) {
	for _, tc := range []struct {
		s             *Script
		comment, want string
	}{
		{simrunScript(), "muxsim decisions (failure bundle of pct3); replay: simrun -replay x.decisions", simrunFile},
		{&Script{Seed: 7}, "muxsim decisions: TestX seed 7 strategy random; replay: go test -run '^TestX$' -sim.replay=x", simtestFile},
	} {
		var b bytes.Buffer
		if err := tc.s.Write(&b, tc.comment); err != nil || b.String() != tc.want {
			t.Errorf("Write (%v) gave:\n%s\nwant:\n%s", err, b.String(), tc.want)
		}
		got, err := Read(strings.NewReader(tc.want))
		if err != nil || !reflect.DeepEqual(got, tc.s) {
			t.Errorf("Read gave %+v (%v), want %+v", got, err, tc.s)
		}
	}
}

// TestDecisionLines: decisions are written decisionsPerLine a line, the last line ending
// with its last decision, and read back across the lines.
func TestDecisionLines(t *testing.T) {
	s := &Script{Seed: 1}
	for i := range decisionsPerLine + 3 {
		s.Decisions = append(s.Decisions, int32(i))
	}
	var b bytes.Buffer
	if err := s.Write(&b, "c"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if len(lines) != 5 || len(strings.Fields(lines[2])) != decisionsPerLine || lines[3] != "32 33 34" || lines[4] != "" {
		t.Fatalf("lines %q", lines)
	}
	got, err := Read(&b)
	if err != nil || !reflect.DeepEqual(got, s) {
		t.Fatalf("Read gave %+v (%v), want %+v", got, err, s)
	}
}

// TestReadRejects: a file Read cannot take whole is an error naming what is wrong; in
// particular a header key no one knows is not skipped.
func TestReadRejects(t *testing.T) {
	for in, want := range map[string]string{
		"# only a comment\n":          "no header line",
		"":                            "no header line",
		"scenario=x\n1 2\n":           "no seed=",
		"seed=1 colour=red\n":         `unknown field "colour"`,
		"seed=x\n":                    "bad seed",
		"seed=1 hash=zz\n":            "bad hash",
		"seed=1 suppress=1,a\n":       "bad suppress",
		"seed=1 param.streams=many\n": "bad param.streams",
		"seed=1\n1 2 x\n":             `bad decision "x"`,
		"seed=1\n99999999999\n":       "bad decision",
		"seed=1\n" + strings.Repeat("1", lineBytesMax) + "\n": "too long",
	} {
		if _, err := Read(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Read(%.40q) = %v, want an error saying %q", in, err, want)
		}
	}
}

// TestReadFile: ReadFile reads a file with blank lines and comments anywhere, and its
// errors name the file.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.decisions"), filepath.Join(dir, "bad.decisions")
	if err := os.WriteFile(good, []byte("\n# a\n  seed=3  \n\n# b\n1 2\n 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("seed=3 x=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := ReadFile(good)
	if err != nil || s.Seed != 3 || fmt.Sprint(s.Decisions) != "[1 2 3]" {
		t.Errorf("ReadFile(good) = %+v, %v", s, err)
	}
	if _, err := ReadFile(bad); err == nil || !strings.HasPrefix(err.Error(), bad+": ") {
		t.Errorf("ReadFile(bad) = %v, want an error naming the file", err)
	}
}

// TestTrimZeros: only the trailing zeros go.
func TestTrimZeros(t *testing.T) {
	for _, tc := range []struct{ in, want []int32 }{
		{[]int32{1, 0, 2, 0, 0}, []int32{1, 0, 2}}, {[]int32{0, 0}, []int32{}}, {nil, nil}, {[]int32{3}, []int32{3}},
	} {
		if got := TrimZeros(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("TrimZeros(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
