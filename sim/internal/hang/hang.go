// Package hang reports a run on real goroutines that has not finished in time: how long
// it may take given go test's own deadline, and, once it is over, the stacks of the
// run's goroutines and what the code under test says it is waiting on. sim.RunReal and
// simtest.Real share it, so a hung scenario and a hung test read the same.
package hang

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Margin is how long before a hard deadline (go test -timeout) a run is called hung, so
// that the report is written before go test's alarm panics the whole binary.
const Margin = 3 * time.Second

// StateTimeout bounds the call of a state function: one that takes a lock a stuck
// goroutine holds must not hang the report of the hang.
const StateTimeout = time.Second

// stackBytesMax bounds the goroutine dump; a dump cut there says so.
const stackBytesMax = 64 << 20

// Limit returns how long a run may take: timeout, cut so that it ends Margin before
// deadline if deadline is not zero. With less than twice Margin left it is half of what
// is left, so that a run still gets some time and the report still gets some.
func Limit(timeout time.Duration, deadline time.Time) time.Duration {
	if deadline.IsZero() {
		return timeout
	}
	left := time.Until(deadline)
	cut := left - Margin
	if left < 2*Margin {
		cut = left / 2
	}
	return max(min(timeout, cut), time.Millisecond)
}

// ID returns the calling goroutine's ID, as runtime.Stack prints it.
func ID() int64 {
	var buf [64]byte
	line := buf[:runtime.Stack(buf[:], false)]
	line = bytes.TrimPrefix(line, []byte("goroutine "))
	id, err := strconv.ParseInt(string(line[:max(bytes.IndexByte(line, ' '), 0)]), 10, 64)
	if err != nil {
		panic(fmt.Sprintf("hang: cannot read the goroutine ID from %q", buf[:]))
	}
	return id
}

// Report is the text of a hung run's failure: the stacks of root and of the goroutines
// it started (see Trim), then state's answer if state is not nil.
func Report(root int64, state func() string) string {
	var b strings.Builder
	kept, shown, total := Trim(all(), root)
	fmt.Fprintf(&b, "goroutines of the run (%d of %d: goroutine %d, the run's first, and those started under it):\n%s",
		shown, total, root, kept)
	if state != nil {
		fmt.Fprintf(&b, "\nstate of the code under test:\n%s\n", strings.TrimRight(call(state), "\n"))
	}
	return b.String()
}

// all returns every goroutine's stack, runtime.Stack(buf, true).
func all() []byte {
	for n := 1 << 16; ; n *= 2 {
		buf := make([]byte, n)
		m := runtime.Stack(buf, true)
		if m < n {
			return buf[:m]
		}
		if n >= stackBytesMax {
			return append(buf[:m], "\n... (dump cut at its bound)\n"...)
		}
	}
}

// call returns state's answer, or says that it did not come within StateTimeout. A
// state that never returns is left blocked: it belongs to a run that already failed.
func call(state func() string) string {
	ch := make(chan string, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- fmt.Sprintf("(the state function panicked: %v)", p)
			}
		}()
		ch <- state()
	}()
	timer := time.NewTimer(StateTimeout)
	defer timer.Stop()
	select {
	case s := <-ch:
		return s
	case <-timer.C:
		return fmt.Sprintf("(no answer within %v: it may wait on a lock a stuck goroutine holds)", StateTimeout)
	}
}

// goroutine is one record of a runtime.Stack dump.
type goroutine struct {
	id, creator int64 // creator 0: none printed (the main goroutine)
	text        []byte
}

// Trim keeps, of a runtime.Stack(buf, true) dump, root and the goroutines started under
// it: those whose chain of creators reaches root, or breaks (a creator has exited) at a
// goroutine younger than root. Goroutine IDs grow, so the second rule keeps what a
// since-exited helper of the run started; under parallel tests it can keep another
// test's goroutines too. It returns the kept records, how many and how many in all.
func Trim(dump []byte, root int64) (kept []byte, shown, total int) {
	gs := parse(dump)
	byID := make(map[int64]*goroutine, len(gs))
	for i := range gs {
		byID[gs[i].id] = &gs[i]
	}
	var b bytes.Buffer
	for _, g := range gs {
		if under(g, byID, root) {
			b.Write(g.text)
			b.WriteString("\n\n")
			shown++
		}
	}
	return b.Bytes(), shown, len(gs)
}

// under reports whether g descends from root, by Trim's rules. The walk is bounded by
// the number of goroutines, which also guards against a cycle in a malformed dump.
func under(g goroutine, byID map[int64]*goroutine, root int64) bool {
	for range len(byID) + 1 {
		if g.id == root {
			return true
		}
		if g.creator == 0 {
			return false
		}
		parent, ok := byID[g.creator]
		if !ok {
			return g.creator > root
		}
		g = *parent
	}
	return false
}

// parse splits a dump into its goroutines. A record opens with "goroutine N [...]:" and
// names its creator in a line "created by F in goroutine M".
func parse(dump []byte) []goroutine {
	var gs []goroutine
	for rec := range bytes.SplitSeq(bytes.TrimSpace(dump), []byte("\n\n")) {
		var g goroutine
		g.text = rec
		head, _, _ := bytes.Cut(rec, []byte("\n"))
		if _, err := fmt.Sscanf(string(head), "goroutine %d ", &g.id); err != nil {
			continue // not a goroutine record: keep nothing of it
		}
		if i := bytes.LastIndex(rec, []byte("\ncreated by ")); i >= 0 {
			line, _, _ := bytes.Cut(rec[i+1:], []byte("\n"))
			if j := bytes.LastIndex(line, []byte(" in goroutine ")); j >= 0 {
				g.creator, _ = strconv.ParseInt(string(line[j+len(" in goroutine "):]), 10, 64)
			}
		}
		gs = append(gs, g)
	}
	return gs
}
