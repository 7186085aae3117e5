package allowed

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Constants, durations and time.Time are fine; only the clock and timers are not.
const pollMin = 10 * time.Millisecond

func later(t time.Time, d time.Duration) time.Time { return t.Add(d + pollMin) }

// A generator built from an injected source is fine.
func generator(seed uint64) int {
	r := rand.New(rand.NewPCG(seed, 0))
	return r.IntN(10)
}

// A reviewed exception on the line above.
func real(f func()) {
	//simvet:allow go only the real runtime reaches this, behind rt.Simulated()
	go f()
}

// A reviewed exception on the same line, and one directive covering two findings.
func clock() time.Duration {
	start := time.Now() //simvet:allow time the real runtime's clock, never simulated
	//simvet:allow time both calls only run under the real runtime
	return time.Since(start) + time.Since(start)
}

//simvet:allow sync a documented exception for a type that never blocks
var once sync.Once

// The collect-then-sort idioms.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortedPairs(m map[int]string) []string {
	var pairs []string
	for k, v := range m {
		pairs = append(pairs, string(rune(k))+v)
	}
	sort.Strings(pairs)
	return pairs
}

func older(m map[int]string, id int) []int {
	var ids []int
	for k := range m {
		if k < id {
			ids = append(ids, k)
		}
	}
	slices.Sort(ids)
	return ids
}

type byLen []string

func (b byLen) Len() int           { return len(b) }
func (b byLen) Less(i, j int) bool { return len(b[i]) < len(b[j]) }
func (b byLen) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

func sortedByLen(m map[string]bool) []string {
	var names []string
	for name := range maps.Keys(m) {
		names = append(names, name)
	}
	sort.Stable(byLen(names))
	return names
}

// A sorted-keys function literal, and a map range allowed for an order-free body.
func counts(m map[string]int) (func() []string, int) {
	total := 0
	//simvet:allow maprange integer addition does not depend on the order
	for _, n := range m {
		total += n
	}
	return func() []string {
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int { return len(a) - len(b) })
		return keys
	}, total
}

// Printing IDs, a literal percent sign and non-constant formats is fine.
func describe(id int, format string) string {
	_ = fmt.Sprintf(format, id)
	_ = strconv.Itoa(id)
	return fmt.Sprintf("<stream %d> 100%%p", id)
}
