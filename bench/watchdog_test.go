package bench

import (
	"fmt"
	"net"
	"sync/atomic"
	"time"
)

// stallMax is how long a connection may move no bytes, while a benchmark or test uses it,
// before its watchdog declares it stalled and closes it. Every operation here keeps bytes
// moving many times a second, so a quiet connection is a hang (a lost wakeup, lost
// flow-control credit), and closing it turns the hang into an error the caller can report.
const stallMax = 4 * time.Second

// watchdog watches the bytes a client's transport moves and closes the transport once it
// has been quiet for stallMax.
type watchdog struct {
	moved   atomic.Int64
	stalled atomic.Bool
	stop    chan struct{}
	done    chan struct{}
}

// watch starts a watchdog on tr and returns it with the transport to give the client:
// tr, counting its bytes.
func watch(tr net.Conn) (*watchdog, net.Conn) {
	w := &watchdog{stop: make(chan struct{}), done: make(chan struct{})}
	go w.run(tr)
	return w, countingConn{tr, &w.moved}
}

func (w *watchdog) run(tr net.Conn) {
	defer close(w.done)
	tick := time.NewTicker(stallMax / 8)
	defer tick.Stop()
	last, quietSince := w.moved.Load(), time.Now()
	for {
		select {
		case <-w.stop:
			return
		case now := <-tick.C:
			if m := w.moved.Load(); m != last {
				last, quietSince = m, now
				continue
			}
			if now.Sub(quietSince) >= stallMax {
				w.stalled.Store(true)
				_ = tr.Close()
				return
			}
		}
	}
}

// close stops the watchdog and waits for it.
func (w *watchdog) close() {
	close(w.stop)
	<-w.done
}

// explain adds to err that the connection stalled, if it did.
func (w *watchdog) explain(err error) error {
	if err == nil || !w.stalled.Load() {
		return err
	}
	return fmt.Errorf("connection stalled (no bytes for %v; the watchdog closed it): %w", stallMax, err)
}

// countingConn counts the bytes read and written.
type countingConn struct {
	net.Conn
	moved *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.moved.Add(int64(n))
	return n, err
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.moved.Add(int64(n))
	return n, err
}
