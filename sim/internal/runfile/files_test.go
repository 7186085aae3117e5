package runfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/sim"
)

// TestWriteTrace: the extension picks the format: .html the timeline page, .json the
// Chrome trace events, anything else JSON lines. Method: trace one small logged run to
// each name and look at how each file begins.
func TestWriteTrace(t *testing.T) {
	v := sim.Run(sim.Options{Seed: 1, Log: true}, func(rt *sim.Runtime) { rt.Note("hello") })
	dir := t.TempDir()
	for name, prefix := range map[string]string{"t.html": "<!", "t.json": "{", "t.jsonl": `{"seq":`, "t.txt": `{"seq":`} {
		path := filepath.Join(dir, name)
		if err := WriteTrace(path, v); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil || !strings.HasPrefix(strings.TrimSpace(string(b)), prefix) {
			t.Errorf("%s begins %.40q (%v), want %q", name, b, err, prefix)
		}
	}
	if err := WriteTrace(filepath.Join(dir, "no", "such", "dir.html"), v); err == nil {
		t.Errorf("WriteTrace into a missing directory succeeded")
	}
}

// TestWriteBundle: a bundle is the text, the decisions and the two traces, written under
// a directory that is made if it is missing; the text file's path comes back.
func TestWriteBundle(t *testing.T) {
	v := sim.Run(sim.Options{Seed: 1, Log: true}, func(rt *sim.Runtime) { rt.Note("hello") })
	base := filepath.Join(t.TempDir(), "out", "x-seed1")
	say := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	path, err := WriteBundle(base, v, say("text"), say("seed=1\n"))
	if err != nil || path != base+".txt" {
		t.Fatalf("WriteBundle = %q, %v", path, err)
	}
	for ext, want := range map[string]string{".txt": "text", ".decisions": "seed=1\n", ".html": "<!", ".jsonl": `{"seq":`} {
		b, err := os.ReadFile(base + ext)
		if err != nil || !strings.HasPrefix(string(b), want) {
			t.Errorf("%s begins %.40q (%v), want %q", ext, b, err, want)
		}
	}
	if _, err := WriteBundle(base, v, say("text"), func(io.Writer) error { return errors.New("full") }); err == nil || err.Error() != "full" {
		t.Errorf("a failing writer gave %v, want its error", err)
	}
}
