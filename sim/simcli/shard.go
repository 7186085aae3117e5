package simcli

import (
	"fmt"
	"strconv"
	"strings"
)

// shard is a deterministic slice of a sweep: job k (counting the sweep's (scenario,
// seed) pairs from 0 in order) belongs to shard k mod n. Shards 1/n..n/n together run
// every job exactly once, with no coordination between the machines that run them.
type shard struct{ i, n uint64 } // i in 0..n-1

// all is the whole sweep.
var all = shard{0, 1}

// parseShard reads "i/n" with 1 <= i <= n.
func parseShard(s string) (shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.ParseUint(a, 10, 64)
	n, err2 := strconv.ParseUint(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || n == 0 || i == 0 || i > n {
		return shard{}, fmt.Errorf("bad -shard %q: want i/n with 1 <= i <= n, e.g. 2/8", s)
	}
	return shard{i - 1, n}, nil
}

// has reports whether job k belongs to the shard.
func (sh shard) has(k uint64) bool { return k%sh.n == sh.i }

func (sh shard) String() string { return fmt.Sprintf("%d/%d", sh.i+1, sh.n) }
