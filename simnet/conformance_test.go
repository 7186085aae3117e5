package simnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// A conformance case checks one behaviour of a connected pair that every user of net.Conn
// relies on. It runs against net.Pipe (the control), against simnet under the real
// runtime, and against simnet under simulation for many seeds with both batons.
type conformanceCase struct {
	name string
	run  func(rt *sim.Runtime, a, b net.Conn) error
}

// closedErr accepts the errors a closed end may report: net.ErrClosed (TCP, simnet) or
// io.ErrClosedPipe (net.Pipe).
func closedErr(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrClosedPipe)
}

// timeoutErr accepts what TCP and net.Pipe return past a deadline: a net.Error whose
// Timeout is true, wrapping os.ErrDeadlineExceeded.
func timeoutErr(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) && IsTimeout(err) && errors.As(err, &ne) && ne.Timeout()
}

// readN reads exactly n bytes.
func readN(c net.Conn, n int) ([]byte, error) {
	buf := make([]byte, n)
	_, err := io.ReadFull(c, buf)
	return buf, err
}

// pattern is n deterministic bytes.
func pattern(n, salt int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*7 + salt)
	}
	return p
}

var conformance = []conformanceCase{
	{"write-then-read", func(rt *sim.Runtime, a, b net.Conn) error {
		g := rt.NewGroup("g")
		var werr error
		g.Go("writer", func() { _, werr = a.Write([]byte("hello")) })
		got, err := readN(b, 5)
		g.Wait()
		if werr != nil || err != nil || string(got) != "hello" {
			return fmt.Errorf("got %q, %v, write %v", got, err, werr)
		}
		return nil
	}},
	{"bidirectional-in-order", func(rt *sim.Runtime, a, b net.Conn) error {
		const msgs, size = 20, 300
		g := rt.NewGroup("g")
		errs := make([]error, 4)
		for i, c := range []net.Conn{a, b} {
			g.Go("writer", func() {
				for m := range msgs {
					if _, err := c.Write(pattern(size, m+i)); err != nil {
						errs[i] = err
						return
					}
				}
			})
			g.Go("reader", func() {
				for m := range msgs {
					got, err := readN(c, size)
					if err != nil || !bytes.Equal(got, pattern(size, m+1-i)) {
						errs[2+i] = fmt.Errorf("message %d: %v", m, err)
						return
					}
				}
			})
		}
		g.Wait()
		return errors.Join(errs...)
	}},
	{"large-transfer", func(rt *sim.Runtime, a, b net.Conn) error {
		data := pattern(1<<20+13, 3)
		g := rt.NewGroup("g")
		var werr error
		g.Go("writer", func() {
			r := rt.Rand("sizes")
			for off := 0; off < len(data); {
				n := min(len(data)-off, 1+r.IntN(70000))
				if _, werr = a.Write(data[off : off+n]); werr != nil {
					return
				}
				off += n
			}
		})
		got, err := readN(b, len(data))
		g.Wait()
		if werr != nil || err != nil || !bytes.Equal(got, data) {
			return fmt.Errorf("transfer: read %v, write %v, equal %v", err, werr, bytes.Equal(got, data))
		}
		return nil
	}},
	{"close-unblocks-read", func(rt *sim.Runtime, a, b net.Conn) error {
		g := rt.NewGroup("g")
		var rerr error
		g.Go("reader", func() { _, rerr = b.Read(make([]byte, 10)) })
		_ = rt.Sleep(context.Background(), time.Millisecond)
		b.Close()
		g.Wait()
		a.Close()
		if !closedErr(rerr) {
			return fmt.Errorf("pending read ended with %v", rerr)
		}
		return nil
	}},
	{"close-unblocks-write", func(rt *sim.Runtime, a, b net.Conn) error {
		g := rt.NewGroup("g")
		var werr error
		g.Go("writer", func() { _, werr = a.Write(make([]byte, 4*DefaultBuffer)) })
		_ = rt.Sleep(context.Background(), time.Millisecond)
		a.Close()
		g.Wait()
		b.Close()
		if !closedErr(werr) {
			return fmt.Errorf("pending write ended with %v", werr)
		}
		return nil
	}},
	{"peer-close-eof", func(rt *sim.Runtime, a, b net.Conn) error {
		g := rt.NewGroup("g")
		g.Go("writer", func() { a.Write([]byte("bye")); a.Close() })
		got, err := io.ReadAll(b)
		g.Wait()
		if err != nil || string(got) != "bye" {
			return fmt.Errorf("read %q, %v; want bye then EOF", got, err)
		}
		if _, err := b.Write([]byte("x")); err == nil {
			return errors.New("write to a closed peer succeeded")
		}
		return nil
	}},
	{"ops-after-close", func(rt *sim.Runtime, a, b net.Conn) error {
		a.Close()
		if _, err := a.Read(make([]byte, 1)); !closedErr(err) {
			return fmt.Errorf("read after close: %v", err)
		}
		if _, err := a.Write([]byte("x")); !closedErr(err) {
			return fmt.Errorf("write after close: %v", err)
		}
		b.Close()
		return nil
	}},
	{"read-deadline", func(rt *sim.Runtime, a, b net.Conn) error {
		defer a.Close()
		defer b.Close()
		start := rt.Now()
		b.SetReadDeadline(rt.Now().Add(20 * time.Millisecond))
		_, err := b.Read(make([]byte, 1))
		var ne net.Error
		if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
			return fmt.Errorf("read past deadline: %v", err)
		}
		if d := rt.Since(start); d < 20*time.Millisecond {
			return fmt.Errorf("timed out after %v", d)
		}
		// A deadline in the past fails at once; clearing it reads again.
		b.SetReadDeadline(rt.Now().Add(-time.Second))
		if _, err := b.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
			return fmt.Errorf("read with a past deadline: %v", err)
		}
		b.SetReadDeadline(time.Time{})
		g := rt.NewGroup("g")
		g.Go("writer", func() { a.Write([]byte("z")) })
		got, err := readN(b, 1)
		g.Wait()
		if err != nil || string(got) != "z" {
			return fmt.Errorf("read after clearing the deadline: %q %v", got, err)
		}
		return nil
	}},
	{"write-deadline", func(rt *sim.Runtime, a, b net.Conn) error {
		defer a.Close()
		defer b.Close()
		// A deadline in the past fails at once, with room to spare, writing nothing.
		a.SetWriteDeadline(rt.Now().Add(-time.Second))
		if n, err := a.Write([]byte("lost")); n != 0 || !timeoutErr(err) {
			return fmt.Errorf("write with a past deadline: %d bytes, %v", n, err)
		}
		a.SetWriteDeadline(rt.Now().Add(10 * time.Millisecond))
		_, err := a.Write(make([]byte, 4*DefaultBuffer))
		if !timeoutErr(err) {
			return fmt.Errorf("blocked write past deadline: %v", err)
		}
		return nil
	}},
	{"expired-read-deadline-keeps-data", func(rt *sim.Runtime, a, b net.Conn) error {
		// Goal: a read past its deadline fails even with bytes waiting, and leaves them
		// for the next read once the deadline is moved to the future or cleared.
		// Method: read the first byte of a write, so the rest has certainly arrived, then
		// read with a past deadline.
		g := rt.NewGroup("g")
		defer g.Wait() // after the Closes, which unblock the writer if we fail early
		defer a.Close()
		defer b.Close()
		g.Go("writer", func() { a.Write([]byte("hello")) })
		if got, err := readN(b, 1); err != nil || string(got) != "h" {
			return fmt.Errorf("first byte: %q %v", got, err)
		}
		b.SetReadDeadline(rt.Now().Add(-time.Second))
		if n, err := b.Read(make([]byte, 10)); n != 0 || !timeoutErr(err) {
			return fmt.Errorf("read with a past deadline and data waiting: %d bytes, %v", n, err)
		}
		b.SetReadDeadline(rt.Now().Add(time.Hour))
		if got, err := readN(b, 1); err != nil || string(got) != "e" {
			return fmt.Errorf("read after moving the deadline to the future: %q %v", got, err)
		}
		b.SetReadDeadline(time.Time{})
		if got, err := readN(b, 3); err != nil || string(got) != "llo" {
			return fmt.Errorf("read after clearing the deadline: %q %v", got, err)
		}
		return nil
	}},
	{"set-deadline-after-close", func(rt *sim.Runtime, a, b net.Conn) error {
		defer b.Close()
		a.Close()
		t := rt.Now().Add(time.Second)
		if err := a.SetDeadline(t); !closedErr(err) {
			return fmt.Errorf("SetDeadline after close: %v", err)
		}
		if err := a.SetReadDeadline(t); !closedErr(err) {
			return fmt.Errorf("SetReadDeadline after close: %v", err)
		}
		if err := a.SetWriteDeadline(t); !closedErr(err) {
			return fmt.Errorf("SetWriteDeadline after close: %v", err)
		}
		return nil
	}},
	{"addresses", func(rt *sim.Runtime, a, b net.Conn) error {
		defer a.Close()
		defer b.Close()
		if a.LocalAddr() == nil || a.RemoteAddr() == nil || a.LocalAddr().String() != b.RemoteAddr().String() ||
			b.LocalAddr().String() != a.RemoteAddr().String() {
			return fmt.Errorf("addresses %v %v / %v %v", a.LocalAddr(), a.RemoteAddr(), b.LocalAddr(), b.RemoteAddr())
		}
		return nil
	}},
	{"half-close", func(rt *sim.Runtime, a, b net.Conn) error {
		hc, ok := a.(interface{ CloseWrite() error })
		if !ok {
			return errSkip
		}
		defer a.Close()
		defer b.Close()
		g := rt.NewGroup("g")
		g.Go("writer", func() { a.Write([]byte("req")); hc.CloseWrite() })
		got, err := io.ReadAll(b)
		g.Wait()
		if err != nil || string(got) != "req" {
			return fmt.Errorf("read %q %v", got, err)
		}
		g.Go("replier", func() { b.Write([]byte("resp")) })
		got, err = readN(a, 4)
		g.Wait()
		if err != nil || string(got) != "resp" {
			return fmt.Errorf("reply after half-close: %q %v", got, err)
		}
		return nil
	}},
}

var errSkip = errors.New("not supported by this connection")

func TestConformanceNetPipe(t *testing.T) {
	for _, c := range conformance {
		t.Run(c.name, func(t *testing.T) {
			a, b := net.Pipe()
			defer a.Close()
			defer b.Close()
			if err := c.run(sim.Real(), a, b); err != nil && err != errSkip {
				t.Fatal(err)
			}
		})
	}
}

func TestConformanceReal(t *testing.T) {
	for _, c := range conformance {
		t.Run(c.name, func(t *testing.T) {
			a, b := Pipe(sim.Real(), "c", Plan{})
			defer a.Close()
			defer b.Close()
			if err := c.run(sim.Real(), a, b); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestConformanceSimulated runs the suite under simulation for seeds 1-40 with both
// batons and, half the time, a random fault plan without failures (delays, splits,
// coalescing, clogs, small buffers), which must not change any outcome.
func TestConformanceSimulated(t *testing.T) {
	for _, c := range conformance {
		t.Run(c.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 40; seed++ {
				var o sim.Options
				o.Seed = seed
				o.Baton = scheduler.BatonCoroutine
				if seed%3 == 0 {
					o.Baton = scheduler.BatonChannel
				}
				var err error
				v := sim.Run(o, func(rt *sim.Runtime) {
					var plan Plan
					if seed%2 == 0 {
						plan = RandomPlan(rt.Rand("plan"), Profile{NoFailures: true})
						plan.Buffer = max(plan.Buffer, DefaultBuffer)
					}
					a, b := Pipe(rt, "c", plan)
					defer a.Close()
					defer b.Close()
					err = c.run(rt, a, b)
				})
				if !v.OK() {
					t.Fatalf("seed %d: %s", seed, v.Report())
				}
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
			}
		})
	}
}
