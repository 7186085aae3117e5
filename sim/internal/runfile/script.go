package runfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/muxsim/muxsim/sim"
)

// Script is a replayable run as a decision file records it: the seed (which draws the
// workload and the faults) and the scheduling decisions (0 = the non-preemptive default;
// past their end a replay takes that default too), with what else the run needs to be the
// same run. simrun fills every field; simtest, whose test is the scenario, only Seed and
// Decisions.
type Script struct {
	Scenario  string // the catalog's scenario name; "" leaves scenario= out of the header
	Seed      uint64
	Bug       string     // a known bug switched on
	Params    sim.Params // workload sizes that differ from the scenario's defaults
	Suppress  []int      // the numbers of the faults held back
	Jitter    bool       // time perturbed: the decisions hold its draws (scheduler/jitter.go)
	Decisions []int32
	// Hash is the trace hash of the run the decisions were recorded from (0: not recorded,
	// or the file predates it). A replay with another hash is another run: the code has
	// changed.
	Hash uint64
}

// decisionsPerLine keeps a script's lines readable.
const decisionsPerLine = 32

// lineBytesMax bounds one line of a decision file as Read takes it.
const lineBytesMax = 1 << 20

// Write saves the script in the text format Read reads: comment (each of its lines after
// "# "), one header line of key=value fields, then the decisions separated by spaces,
// decisionsPerLine a line. The header holds seed= always and each other field only when
// it is set, so a script with only a seed has the header seed=N.
func (s *Script) Write(w io.Writer, comment string) error {
	bw := bufio.NewWriter(w)
	for _, line := range strings.Split(comment, "\n") {
		fmt.Fprintf(bw, "# %s\n", line)
	}
	if s.Scenario != "" {
		fmt.Fprintf(bw, "scenario=%s ", s.Scenario)
	}
	fmt.Fprintf(bw, "seed=%d", s.Seed)
	if s.Hash != 0 {
		fmt.Fprintf(bw, " hash=%016x", s.Hash)
	}
	if s.Bug != "" {
		fmt.Fprintf(bw, " bug=%s", s.Bug)
	}
	for _, p := range s.Params {
		fmt.Fprintf(bw, " param.%s=%d", p.Name, p.Value)
	}
	if len(s.Suppress) > 0 {
		fmt.Fprintf(bw, " suppress=%s", joinInts(s.Suppress))
	}
	if s.Jitter {
		fmt.Fprint(bw, " jitter=on")
	}
	fmt.Fprintln(bw)
	for i, d := range s.Decisions {
		sep := " "
		if i%decisionsPerLine == decisionsPerLine-1 || i == len(s.Decisions)-1 {
			sep = "\n"
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

// ReadFile reads the decision file at path; its errors start with the path.
func ReadFile(path string) (*Script, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return s, nil
}

// Read reads a decision file: blank and # lines are skipped, the first other line is the
// header, which must give seed=, and the lines after it hold the decisions. A header key
// Read does not know is an error, so a file is never half understood.
func Read(r io.Reader) (*Script, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, lineBytesMax)
	s := &Script{}
	header := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case !header:
			header = true
			if err := s.parseHeader(line); err != nil {
				return nil, err
			}
		default:
			for _, w := range strings.Fields(line) {
				d, err := strconv.ParseInt(w, 10, 32)
				if err != nil {
					return nil, fmt.Errorf("bad decision %q", w)
				}
				s.Decisions = append(s.Decisions, int32(d))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !header {
		return nil, fmt.Errorf("no header line with seed=")
	}
	return s, nil
}

func (s *Script) parseHeader(line string) error {
	seed := false
	for _, kv := range strings.Fields(line) {
		k, v, _ := strings.Cut(kv, "=")
		var err error
		switch k {
		case "scenario":
			s.Scenario = v
		case "seed":
			s.Seed, err = strconv.ParseUint(v, 10, 64)
			seed = true
		case "bug":
			s.Bug = v
		case "jitter":
			s.Jitter = v == "on"
		case "hash":
			s.Hash, err = strconv.ParseUint(v, 16, 64)
		case "suppress":
			for _, x := range strings.Split(v, ",") {
				n, e := strconv.Atoi(x)
				if e != nil {
					err = e
				}
				s.Suppress = append(s.Suppress, n)
			}
		default:
			name, ok := strings.CutPrefix(k, "param.")
			if !ok {
				return fmt.Errorf("unknown field %q in the header", k)
			}
			var n int
			if n, err = strconv.Atoi(v); err == nil {
				s.Params = s.Params.With(name, n)
			}
		}
		if err != nil {
			return fmt.Errorf("bad %s in the header: %v", k, err)
		}
	}
	if !seed {
		return fmt.Errorf("no seed= in the header line %q", line)
	}
	return nil
}

// TrimZeros drops the trailing zero decisions: past a script's end a replay takes the
// same non-preemptive default that 0 asks for.
func TrimZeros(ds []int32) []int32 {
	n := len(ds)
	for n > 0 && ds[n-1] == 0 {
		n--
	}
	return ds[:n]
}
