package simtest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/muxsim/muxsim/sim"
)

// script is a recorded run: the seed (which draws the workload and the faults) and the
// scheduling decisions, which the Replay strategy follows. A person may edit the
// decisions; past their end the run takes the non-preemptive default.
type script struct {
	seed      uint64
	decisions []int32
}

// decisionsPerLine keeps a script's lines readable.
const decisionsPerLine = 32

// write saves the script in the format -sim.replay reads: comment lines, a header line
// seed=N, then the decisions separated by blanks.
func (s *script) write(w io.Writer, comment string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# muxsim decisions: %s\nseed=%d\n", comment, s.seed)
	for i, d := range s.decisions {
		sep := " "
		if i%decisionsPerLine == decisionsPerLine-1 || i == len(s.decisions)-1 {
			sep = "\n"
		}
		bw.WriteString(strconv.Itoa(int(d)) + sep)
	}
	return bw.Flush()
}

// readScript reads a decisions file.
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
			v, ok := strings.CutPrefix(line, "seed=")
			if s.seed, err = strconv.ParseUint(v, 10, 64); !ok || err != nil {
				return nil, fmt.Errorf("%s: want the header line seed=N, got %q", path, line)
			}
			header = true
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
	if !header {
		return nil, fmt.Errorf("%s: no header line seed=N", path)
	}
	return s, nil
}

// strategy is the Replay strategy that follows the script.
func (s *script) strategy() sim.Strategy {
	return sim.Strategy{Kind: sim.ReplayKind, Decisions: s.decisions}
}
