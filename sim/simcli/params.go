package simcli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/muxsim/muxsim/sim"
)

// parseParams reads workload sizes: "streams=4,rounds=2".
func parseParams(s string) (sim.Params, error) {
	var ps sim.Params
	if s == "" {
		return ps, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		n, err := strconv.Atoi(v)
		if !ok || k == "" || err != nil {
			return nil, fmt.Errorf("bad -param %q: want name=integer, comma-separated", kv)
		}
		ps = ps.With(k, n)
	}
	return ps, nil
}
