package runfile

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// Result is one run's outcome as both simrun front ends print it: the verdict line
// (Line) and, with -json, one JSON object (JSON). simrun's scenario sweep and simrun test
// (whose test is the scenario) share it, so the two outputs have one shape.
type Result struct {
	Scenario string `json:"scenario"`
	Seed     uint64 `json:"seed"`
	Strategy string `json:"strategy"` // the concrete strategy: the portfolio resolved by the seed
	OK       bool   `json:"ok"`
	Steps    uint64 `json:"steps"`
	VTimeNS  int64  `json:"vtime_ns"`
	Hash     string `json:"hash"` // 16 hex digits
	Failure  string `json:"failure,omitempty"`
	Kind     string `json:"failure_kind,omitempty"`
}

// NewResult is v's outcome as a run of scenario.
func NewResult(scenario string, v *sim.Verdict) Result {
	r := Result{
		Scenario: scenario, Seed: v.Seed, Strategy: v.Strategy.String(), OK: v.OK(),
		Steps: v.Steps, VTimeNS: int64(v.Time), Hash: fmt.Sprintf("%016x", v.Hash),
	}
	if f := v.Failure; f != nil {
		r.Failure, r.Kind = f.String(), f.Kind.String()
	}
	return r
}

// Line is the verdict line of DESIGN §9:
//
//	scenario=NAME seed=N strategy=S ok=B steps=N vtime=D hash=H [failure=KIND]
func (r Result) Line() string {
	s := fmt.Sprintf("scenario=%s seed=%d strategy=%s ok=%t steps=%d vtime=%v hash=%s",
		r.Scenario, r.Seed, r.Strategy, r.OK, r.Steps, time.Duration(r.VTimeNS), r.Hash)
	if !r.OK {
		s += " failure=" + r.Kind
	}
	return s
}

// JSON is the result as one line of JSON, without the newline.
func (r Result) JSON() []byte {
	b, err := json.Marshal(r)
	if err != nil {
		panic(fmt.Sprintf("runfile: marshal of a result: %v", err)) // only strings and numbers
	}
	return b
}
