package runfile

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/trace"
)

// WriteTrace writes v's events to path in the format its extension names: .html (a
// timeline page), .json (Chrome trace events, for ui.perfetto.dev), anything else JSON
// lines. The events are there only if the run had Options.Log set.
func WriteTrace(path string, v *sim.Verdict) error {
	write := trace.WriteJSONL
	switch filepath.Ext(path) {
	case ".html":
		write = trace.WriteHTML
	case ".json":
		write = trace.WriteChrome
	}
	return WriteFile(path, func(w io.Writer) error { return write(w, v) })
}

// WriteBundle writes a failure bundle, the files a person starts from on one failed run:
// base.txt (text: the run's identity and report), base.decisions (decisions: the script
// that replays it), and the run's traces base.html and base.jsonl, from v's event log. It
// creates base's directory if need be and returns the text file's path.
func WriteBundle(base string, v *sim.Verdict, text, decisions func(io.Writer) error) (string, error) {
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return "", err
	}
	files := []struct {
		ext   string
		write func(io.Writer) error
	}{
		{".txt", text},
		{".decisions", decisions},
		{".html", func(w io.Writer) error { return trace.WriteHTML(w, v) }},
		{".jsonl", func(w io.Writer) error { return trace.WriteJSONL(w, v) }},
	}
	for _, f := range files {
		if err := WriteFile(base+f.ext, f.write); err != nil {
			return "", err
		}
	}
	return base + ".txt", nil
}

// WriteFile creates path and fills it with write; the first error, of write or of closing
// the file, is returned.
func WriteFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// FaultSites is the end of a failure bundle's faults line: ": " and the sites the run
// injected faults at, or "" when it injected none.
func FaultSites(fl *sim.FaultLog) string {
	if len(fl.Sites) == 0 {
		return ""
	}
	return ": " + strings.Join(fl.Sites, ", ")
}
