package scheduler

import (
	"math"
	"math/bits"
)

// Rand is one seeded stream of pseudo-random numbers (SplitMix64). Every class of decision
// (schedule, faults, network timing, workload, each fault site) draws from its own stream,
// derived from the run's seed and the stream's name, so that turning one fault site off does
// not shift every later scheduling decision. The algorithm is fixed forever: changing it
// would change every recorded seed's meaning.
//
// A Rand satisfies math/rand/v2's Source, so rand.New(r) gives the usual helpers.
//
// In a Tape run every stream is in tape mode: it draws from the run's Source instead
// (tape.go), and a zero draw gives every bounded method its smallest value.
type Rand struct {
	state uint64
	src   Source // tape mode when not nil
}

// newStream returns the stream called name of a run: seeded from seed, or the run's
// Source under the Tape strategy.
func newStream(seed uint64, st Strategy, name string) *Rand {
	if st.Kind == Tape {
		return &Rand{src: st.Source}
	}
	return newRand(seed, name)
}

// newRand derives the stream called name from seed.
func newRand(seed uint64, name string) *Rand {
	h := uint64(14695981039346656037) // FNV-1a over the name, mixed with the seed
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return &Rand{state: mix64(seed ^ h)}
}

// Uint64 returns the next 64 random bits.
//
// The methods of Rand are go:norace because, under the race-preserving baton, streams are
// shared by task goroutines whose handoffs are deliberately hidden from the race detector.
//
//go:norace
func (r *Rand) Uint64() uint64 {
	if r.src != nil {
		return r.tapeUint64()
	}
	return r.next()
}

// next is Uint64 of a seeded stream: small enough to inline into IntN, the scheduler's
// hot path, which the tape mode's branch in Uint64 would prevent.
//
//go:norace
func (r *Rand) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	return mix64(r.state)
}

// IntN returns a uniform integer in [0, n); n must be positive.
//
//go:norace
func (r *Rand) IntN(n int) int {
	if n <= 0 {
		panic("scheduler: Rand.IntN with n <= 0")
	}
	if r.src != nil {
		return r.tapeIntN(n)
	}
	un := uint64(n)
	hi, lo := bits.Mul64(r.next(), un)
	if lo < un {
		threshold := -un % un
		for lo < threshold {
			hi, lo = bits.Mul64(r.next(), un)
		}
	}
	return int(hi)
}

// Chance reports true with probability num/den. In tape mode it is true for the top num
// of den draws, so that a zero draw is false.
//
//go:norace
func (r *Rand) Chance(num, den int) bool {
	if r.src != nil {
		return r.tapeIntN(den) >= den-num
	}
	return r.IntN(den) < num
}

// Happens reports true with probability p: Float64() < p, one draw. In tape mode p is
// rounded to sixteenths (at least one, if p > 0) and a zero draw is false, so that a
// shrinker that lowers draws turns the event off.
//
//go:norace
func (r *Rand) Happens(p float64) bool {
	if r.src == nil {
		return r.Float64() < p
	}
	if p <= 0 {
		return false
	}
	num := max(1, min(happensDen, int(p*happensDen+0.5)))
	return r.tapeIntN(happensDen) >= happensDen-num
}

// happensDen is the resolution of Happens in tape mode. Sixteen keeps a draw small (four
// bits), which rapid's generator draws close to uniformly.
const happensDen = 16

// tapeIntN is IntN in tape mode: one draw, none for n == 1.
//
//go:norace
func (r *Rand) tapeIntN(n int) int {
	if n <= 1 {
		return 0
	}
	if k := r.src.Draw(n); k > 0 && k < n {
		return k
	}
	return 0
}

// tapeUint64 is Uint64 in tape mode: one draw of 63 bits, OR-ed with its own bit
// reversal (a small draw, which rapid favours, then sets high bits, which math/rand/v2's
// IntN of a non-power of two reads, and low bits, which its IntN of a power of two
// reads), XOR-ed with tapeZero.
//
// A zero draw gives tapeZero = 1<<32, not 0: for every n below 2^32, math/rand/v2's
// IntN(n) reads it as 0 without rejecting it (its unbiasing loop rejects 0 for any n
// that is not a power of two, and would redraw 0 forever from an exhausted tape), and
// Float64 reads it as 2^-21. So a zero draw is the smallest choice of every bounded
// helper, and an exhausted tape always ends a rejection loop.
//
//go:norace
func (r *Rand) tapeUint64() uint64 {
	x := uint64(r.tapeIntN(math.MaxInt))
	return (x | bits.Reverse64(x)) ^ tapeZero
}

// tapeZero is what a zero draw gives tapeUint64.
const tapeZero = 1 << 32

// mix64 is SplitMix64's finaliser.
//
//go:norace
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Float64 returns a uniform float in [0, 1).
//
//go:norace
func (r *Rand) Float64() float64 { return float64(r.Uint64()>>11) / (1 << 53) }
