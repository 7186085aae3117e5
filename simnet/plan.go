package simnet

import (
	"math/rand/v2"
	"time"
)

// Plan is the fault plan of one connection: how its bytes travel and what goes wrong. It
// applies to both directions; each direction draws its own faults from its own stream.
// The zero value is a perfect link that delivers each write as one read, like net.Pipe.
//
// Once the run heals (sim.Runtime.Heal) no connection injects a new failure (WriteFail,
// ReadFail, PeerClose) or clog, whatever its plan; a connection already reset or closed
// stays so. Latency, jitter, bandwidth, splits and coalescing go on: they reshape the
// bytes but cannot stop progress.
type Plan struct {
	// Latency delays each write's delivery. Default 0.
	Latency time.Duration
	// Jitter adds a random [0, Jitter) to each write's latency; delivery stays in order.
	// Default 0.
	Jitter time.Duration
	// Bandwidth, in bytes per second, serialises writes on the link; 0 is unlimited.
	Bandwidth int
	// Split makes a read return a random non-empty prefix of what it could return, so a
	// write arrives in pieces at arbitrary byte boundaries. Default false.
	Split bool
	// Coalesce lets one read return bytes of several writes. Default false: a read returns
	// bytes of one write at most, as net.Pipe does.
	Coalesce bool
	// WriteFail is the probability that a write fails after a random number of its bytes
	// (possibly none): the write returns them and ErrReset, and the connection is reset.
	WriteFail float64
	// ReadFail is the probability that a read fails with ErrReset, resetting the connection.
	ReadFail float64
	// PeerClose is the probability, per write, that the peer closes its end once this
	// write is delivered: reads there see EOF after the data, writes here ErrBrokenPipe.
	PeerClose float64
	// Clog is the probability, per write, that the direction stalls for ClogFor before
	// delivering anything further.
	Clog float64
	// ClogFor is how long a clog lasts. Default 10ms.
	ClogFor time.Duration
	// Buffer bounds the bytes in flight per direction; a writer blocks beyond it.
	// Default 256 KiB.
	Buffer int
}

// Defaults of Plan.
const (
	DefaultClogFor = 10 * time.Millisecond
	DefaultBuffer  = 256 << 10
)

func (p Plan) withDefaults() Plan {
	if p.ClogFor <= 0 {
		p.ClogFor = DefaultClogFor
	}
	if p.Buffer <= 0 {
		p.Buffer = DefaultBuffer
	}
	return p
}

// Failures reports whether the plan can break the connection (rather than only delay or
// reshape its bytes).
func (p Plan) Failures() bool { return p.WriteFail > 0 || p.ReadFail > 0 || p.PeerClose > 0 }

// Profile says which fault kinds a random plan may use.
type Profile struct {
	// NoFailures keeps plans to delays and reshaping: no write or read failures, resets or
	// peer closes. Default false.
	NoFailures bool
}

// RandomPlan draws a plan from r with swarm testing: each fault kind is switched on for
// the plan with probability one half, so different seeds exercise different subsets.
func RandomPlan(r *rand.Rand, prof Profile) Plan {
	var p Plan
	on := func() bool { return r.IntN(2) == 0 }
	if on() {
		p.Latency = time.Duration(1+r.IntN(5000)) * time.Microsecond
	}
	if on() {
		p.Jitter = time.Duration(1+r.IntN(2000)) * time.Microsecond
	}
	if on() {
		p.Bandwidth = 1<<20 + r.IntN(100<<20)
	}
	p.Split = on()
	p.Coalesce = on()
	if on() {
		p.Clog = 0.01 + r.Float64()*0.05
		p.ClogFor = time.Duration(1+r.IntN(20)) * time.Millisecond
	}
	if !prof.NoFailures {
		if on() {
			p.WriteFail = 0.002 + r.Float64()*0.02
		}
		if on() {
			p.ReadFail = 0.002 + r.Float64()*0.02
		}
		if on() {
			p.PeerClose = 0.001 + r.Float64()*0.01
		}
	}
	if on() {
		p.Buffer = 1 + r.IntN(64<<10)
	}
	return p.withDefaults()
}
