package simnet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/muxsim/muxsim/sim"
)

// always is a plan that breaks a connection at its first write or read, and clogs it.
var always = Plan{WriteFail: 1, ReadFail: 1, PeerClose: 1, Clog: 1}

// TestHealStopsConnectionFaults checks that after the heal no connection injects a
// failure or a clog, whatever its plan: neither one made before the heal nor one made
// after it; and that a connection reset before the heal stays reset.
func TestHealStopsConnectionFaults(t *testing.T) {
	v := simulate(t, 1, func(rt *sim.Runtime) error {
		broken, brokenPeer := Pipe(rt, "broken", always)
		if _, err := broken.Write([]byte("x")); !errors.Is(err, ErrReset) {
			return fmt.Errorf("before the heal a write on a failing link returned %v, want ErrReset", err)
		}
		old, oldPeer := Pipe(rt, "old", always)
		rt.Heal(1 << 40)
		made, madePeer := Pipe(rt, "new", always)
		for _, c := range [][2]*Conn{{old, oldPeer}, {made, madePeer}} {
			if err := exchange(c[0], c[1], 10); err != nil {
				return fmt.Errorf("after the heal, %s: %v", c[0].l.name, err)
			}
		}
		if _, err := brokenPeer.Read(make([]byte, 1)); !errors.Is(err, ErrReset) {
			return fmt.Errorf("after the heal a read on a connection reset before it returned %v, want ErrReset", err)
		}
		return nil
	})
	if traced(v, "new new:a: direction clogged") || traced(v, "old old:a: direction clogged") {
		t.Error("a direction clogged after the heal")
	}
}

// exchange writes n messages from a to b and reads them back in order, failing on any
// error or byte out of place.
func exchange(a, b *Conn, n int) error {
	for i := range n {
		msg := []byte(fmt.Sprintf("message %d", i))
		if _, err := a.Write(msg); err != nil {
			return fmt.Errorf("write %d: %w", i, err)
		}
		got := make([]byte, len(msg))
		if _, err := io.ReadFull(b, got); err != nil {
			return fmt.Errorf("read %d: %w", i, err)
		}
		if !bytes.Equal(got, msg) {
			return fmt.Errorf("read %q, want %q", got, msg)
		}
	}
	return nil
}

// TestHealKeepsDrawsAligned checks the determinism choice of the heal: a connection
// still draws every fault it would have drawn and then does not inject it, as it does
// for a suppressed fault, so the draws it shares a stream with (split sizes) stay where
// they were. A run healed at its start reads the same pieces as the run that suppresses
// every fault.
func TestHealKeepsDrawsAligned(t *testing.T) {
	plan := Plan{Split: true, WriteFail: 0.3, ReadFail: 0.3, PeerClose: 0.3, Clog: 0.3}
	pieces := func(heal bool, suppress []int) []int {
		var out []int
		o := sim.Options{Seed: 5, TimeJitter: sim.JitterOff, SuppressFaults: suppress}
		v := sim.Run(o, func(rt *sim.Runtime) {
			if heal {
				rt.Heal(1 << 40)
			}
			a, b := Pipe(rt, "c", plan)
			buf := make([]byte, 64)
			for i := range 20 {
				if _, err := a.Write(bytes.Repeat([]byte{byte(i)}, 32)); err != nil {
					rt.Fail("write: " + err.Error())
				}
				for got := 0; got < 32; {
					n, err := b.Read(buf[:32-got])
					if err != nil {
						rt.Fail("read: " + err.Error())
					}
					got += n
					out = append(out, n)
				}
			}
		})
		if !v.OK() {
			t.Fatal(v.Report())
		}
		return out
	}
	all := make([]int, 200)
	for i := range all {
		all[i] = i + 1
	}
	healed, suppressed := pieces(true, nil), pieces(false, all)
	if fmt.Sprint(healed) != fmt.Sprint(suppressed) {
		t.Errorf("the healed run read other pieces than the suppressed one:\nhealed     %v\nsuppressed %v", healed, suppressed)
	}
}
