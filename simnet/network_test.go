package simnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// TestNetworkListenDial checks the address book: dial reaches the listener, a second
// listen on the address is refused, an unknown address refuses the dial, and Close of the
// listener unblocks Accept.
func TestNetworkListenDial(t *testing.T) {
	simulate(t, 1, func(rt *sim.Runtime) error {
		n := NewNetwork(rt, NetOptions{})
		l, err := n.Listen("server:80")
		if err != nil {
			return err
		}
		if _, err := n.Listen("server:80"); !errors.Is(err, ErrAddrInUse) {
			return fmt.Errorf("second listen: %v", err)
		}
		if _, err := n.Dial(context.Background(), "client", "server:81"); !errors.Is(err, ErrRefused) {
			return fmt.Errorf("dial to nobody: %v", err)
		}
		g := rt.NewGroup("g")
		var got []byte
		g.Go("server", func() {
			c, err := l.Accept()
			if err != nil {
				return
			}
			got, _ = io.ReadAll(c)
			c.Close()
		})
		c, err := n.Dial(context.Background(), "client", "server:80")
		if err != nil {
			return err
		}
		if c.RemoteAddr().String() != "server:80" {
			return fmt.Errorf("remote %v", c.RemoteAddr())
		}
		c.Write([]byte("hi"))
		c.Close()
		g.Wait()
		if string(got) != "hi" {
			return fmt.Errorf("server read %q", got)
		}
		g.Go("acceptor", func() {
			if _, err := l.Accept(); !errors.Is(err, net.ErrClosed) {
				rt.Fail(fmt.Sprintf("accept after close: %v", err))
			}
		})
		l.Close()
		g.Wait()
		return nil
	})
}

// TestNetworkBacklog checks that dials beyond the backlog are refused.
func TestNetworkBacklog(t *testing.T) {
	simulate(t, 1, func(rt *sim.Runtime) error {
		n := NewNetwork(rt, NetOptions{Backlog: 2})
		l, _ := n.Listen("s:1")
		defer l.Close()
		for i := range 3 {
			c, err := n.Dial(context.Background(), "c", "s:1")
			if i < 2 && err != nil || i == 2 && !errors.Is(err, ErrRefused) {
				return fmt.Errorf("dial %d: %v", i, err)
			}
			if c != nil {
				defer c.Close()
			}
		}
		return nil
	})
}

// TestNetworkPartition checks that a partition holds bytes in flight and blocks dials
// until it heals, and that a dial with a deadline fails as unreachable.
func TestNetworkPartition(t *testing.T) {
	simulate(t, 1, func(rt *sim.Runtime) error {
		n := NewNetwork(rt, NetOptions{})
		l, _ := n.Listen("s:1")
		defer l.Close()
		c, _ := n.Dial(context.Background(), "c", "s:1")
		srv, _ := l.Accept()
		defer c.Close()
		defer srv.Close()
		n.Partition("c", "s")
		c.Write([]byte("held"))
		g := rt.NewGroup("g")
		var at time.Duration
		g.Go("reader", func() {
			readN(srv, 4)
			at = rt.Since(sim.Epoch)
		})
		ctx, cancel := rt.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := n.Dial(ctx, "c", "s:1"); !errors.Is(err, ErrUnreachable) {
			return fmt.Errorf("dial across the partition: %v", err)
		}
		healAt := rt.Since(sim.Epoch)
		n.Heal("c", "s")
		g.Wait()
		if at != healAt {
			return fmt.Errorf("held bytes arrived at %v, heal at %v", at, healAt)
		}
		return nil
	})
}
