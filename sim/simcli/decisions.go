package simcli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/muxsim/muxsim/sim"
)

// script is a replayable run: the scenario and seed (the workload and fault draws), the
// scheduling decisions (0 = the non-preemptive default) and the faults held back.
type script struct {
	scenario  string
	seed      uint64
	bug       string
	decisions []int32
	suppress  []int
	params    sim.Params // workload sizes that differ from the scenario's defaults
	jitter    bool       // time perturbed: the decisions hold its draws (scheduler/jitter.go)
	// hash is the trace hash of the run the decisions were recorded from (0: the file
	// predates it). A replay with another hash is another run: the code has changed.
	hash uint64
}

// write saves the script in the text format -replay reads: comment lines, one header line
// of key=value fields, then the decisions separated by spaces. replay is the command
// that replays the file, for the comment line.
func (s *script) write(w io.Writer, comment, replay string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# muxsim decisions (%s); replay: %s\n", comment, replay)
	fmt.Fprintf(bw, "scenario=%s seed=%d", s.scenario, s.seed)
	if s.hash != 0 {
		fmt.Fprintf(bw, " hash=%016x", s.hash)
	}
	if s.bug != "" {
		fmt.Fprintf(bw, " bug=%s", s.bug)
	}
	for _, p := range s.params {
		fmt.Fprintf(bw, " param.%s=%d", p.Name, p.Value)
	}
	if len(s.suppress) > 0 {
		fmt.Fprintf(bw, " suppress=%s", joinInts(s.suppress))
	}
	if s.jitter {
		fmt.Fprint(bw, " jitter=on")
	}
	fmt.Fprintln(bw)
	for i, d := range s.decisions {
		sep := " "
		if i%32 == 31 || i == len(s.decisions)-1 {
			sep = "\n" // 32 decisions a line
		}
		bw.WriteString(strconv.Itoa(int(d)) + sep)
	}
	return bw.Flush()
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

// readScript reads a decision file.
func readScript(path string) (*script, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	s := &script{}
	header := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case !header:
			header = true
			if err := s.parseHeader(line); err != nil {
				return nil, fmt.Errorf("%s: %v", path, err)
			}
		default:
			for _, w := range strings.Fields(line) {
				d, err := strconv.ParseInt(w, 10, 32)
				if err != nil {
					return nil, fmt.Errorf("%s: bad decision %q", path, w)
				}
				s.decisions = append(s.decisions, int32(d))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if !header || s.scenario == "" {
		return nil, fmt.Errorf("%s: no header line with scenario= and seed=", path)
	}
	return s, nil
}

func (s *script) parseHeader(line string) error {
	for _, kv := range strings.Fields(line) {
		k, v, _ := strings.Cut(kv, "=")
		var err error
		switch k {
		case "scenario":
			s.scenario = v
		case "seed":
			s.seed, err = strconv.ParseUint(v, 10, 64)
		case "bug":
			s.bug = v
		case "jitter":
			s.jitter = v == "on"
		case "hash":
			s.hash, err = strconv.ParseUint(v, 16, 64)
		case "suppress":
			for _, x := range strings.Split(v, ",") {
				n, e := strconv.Atoi(x)
				if e != nil {
					err = e
				}
				s.suppress = append(s.suppress, n)
			}
		default:
			name, ok := strings.CutPrefix(k, "param.")
			if !ok {
				return fmt.Errorf("unknown field %q in the header", k)
			}
			var n int
			if n, err = strconv.Atoi(v); err == nil {
				s.params = s.params.With(name, n)
			}
		}
		if err != nil {
			return fmt.Errorf("bad %s in the header: %v", k, err)
		}
	}
	return nil
}
