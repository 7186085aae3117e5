package simcli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// progress reports a long sweep's advance on standard error: a bar redrawn in place on a
// terminal, a plain line every plainEvery otherwise (CI logs). Sweeps shorter than
// quietFor print nothing.
type progress struct {
	w     io.Writer
	tty   bool
	total uint64
	done  atomic.Uint64
	start time.Time
	stop  chan struct{}
	ended chan struct{}
}

const (
	ttyEvery   = 250 * time.Millisecond
	plainEvery = 10 * time.Second
	quietFor   = 2 * time.Second
	barWidth   = 30
)

// startProgress starts the reporter; end stops it and erases the bar.
func startProgress(w io.Writer, total uint64) *progress {
	p := &progress{w: w, tty: isTerminal(w), total: total, start: time.Now(),
		stop: make(chan struct{}), ended: make(chan struct{})}
	go p.loop()
	return p
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) loop() {
	defer close(p.ended)
	every := plainEvery
	if p.tty {
		every = ttyEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			if p.tty && time.Since(p.start) >= quietFor {
				fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 100))
			}
			return
		case <-tick.C:
			if time.Since(p.start) >= quietFor {
				p.print()
			}
		}
	}
}

func (p *progress) print() {
	done := p.done.Load()
	el := time.Since(p.start)
	rate := float64(done) / el.Seconds()
	eta := "?"
	if rate > 0 {
		eta = time.Duration(float64(p.total-done) / rate * float64(time.Second)).Round(time.Second).String()
	}
	frac := float64(done) / float64(max(p.total, 1))
	if p.tty {
		n := int(frac * barWidth)
		fmt.Fprintf(p.w, "\r[%s%s] %d/%d %5.1f%% %.0f runs/s eta %s ", strings.Repeat("#", n), strings.Repeat("-", barWidth-n),
			done, p.total, 100*frac, rate, eta)
		return
	}
	fmt.Fprintf(p.w, "progress runs=%d/%d (%.1f%%) rate=%.0f/s eta=%s\n", done, p.total, 100*frac, rate, eta)
}

func (p *progress) end() {
	close(p.stop)
	<-p.ended
}
