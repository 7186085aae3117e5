package scheduler

import "math/bits"

// Rand is one seeded stream of pseudo-random numbers (SplitMix64). Every class of decision
// (schedule, faults, network timing, workload, each fault site) draws from its own stream,
// derived from the run's seed and the stream's name, so that turning one fault site off does
// not shift every later scheduling decision. The algorithm is fixed forever: changing it
// would change every recorded seed's meaning.
//
// A Rand satisfies math/rand/v2's Source, so rand.New(r) gives the usual helpers.
type Rand struct {
	state uint64
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
	un := uint64(n)
	hi, lo := bits.Mul64(r.Uint64(), un)
	if lo < un {
		threshold := -un % un
		for lo < threshold {
			hi, lo = bits.Mul64(r.Uint64(), un)
		}
	}
	return int(hi)
}

// Chance reports true with probability num/den.
//
//go:norace
func (r *Rand) Chance(num, den int) bool {
	return r.IntN(den) < num
}

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
