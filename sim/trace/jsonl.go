package trace

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/muxsim/muxsim/scheduler"
)

// jsonEvent is one line of the JSON-lines format.
type jsonEvent struct {
	Seq      uint64 `json:"seq"`
	Step     uint64 `json:"step"`
	TimeNS   int64  `json:"t_ns"`
	Kind     string `json:"kind"`
	Task     int32  `json:"task,omitempty"`
	TaskName string `json:"task_name,omitempty"`
	Arg      int64  `json:"arg,omitempty"`
	Text     string `json:"text,omitempty"`
}

// jsonVerdict is the payload of the last line of the JSON-lines format.
type jsonVerdict struct {
	Seed     uint64       `json:"seed"`
	Strategy string       `json:"strategy"`
	OK       bool         `json:"ok"`
	Steps    uint64       `json:"steps"`
	VTimeNS  int64        `json:"vtime_ns"`
	Hash     string       `json:"hash"`
	Events   int          `json:"events"`
	Failure  *jsonFailure `json:"failure,omitempty"`
}

type jsonFailure struct {
	Kind     string `json:"kind"`
	Message  string `json:"message"`
	Step     uint64 `json:"step"`
	TimeNS   int64  `json:"t_ns"`
	Task     int32  `json:"task,omitempty"`
	TaskName string `json:"task_name,omitempty"`
}

// WriteJSONL writes v's events as JSON lines, one object per event in the order they
// happened: {"seq","step","t_ns","kind","task","task_name","arg","text"}, where task,
// task_name, arg and text are left out when empty (task 0 is the scheduler). The last
// line is {"verdict":{...}} with seed, strategy, ok, steps, vtime_ns, hash (16 hex
// digits), the number of events and, for a failed run, failure {kind, message, step,
// t_ns, task, task_name}. v.Events is empty unless the run had Options.Log set.
func WriteJSONL(w io.Writer, v *scheduler.Verdict) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // the lines are for people and tools, never for a page
	for _, e := range v.Events {
		line := jsonEvent{
			Seq: e.Seq, Step: e.Step, TimeNS: int64(e.Time), Kind: e.Kind.String(),
			Task: int32(e.Task), Arg: e.Arg, Text: e.Text,
		}
		if e.Task != 0 {
			line.TaskName = v.TaskName(e.Task)
		}
		if err := enc.Encode(line); err != nil {
			return fmt.Errorf("trace: jsonl event %d: %w", e.Seq, err)
		}
	}
	if err := enc.Encode(map[string]jsonVerdict{"verdict": verdictJSON(v)}); err != nil {
		return fmt.Errorf("trace: jsonl verdict: %w", err)
	}
	return bw.Flush()
}

// verdictJSON summarises v as the JSON-lines format's last line and the HTML page's
// header carry it.
func verdictJSON(v *scheduler.Verdict) jsonVerdict {
	out := jsonVerdict{
		Seed: v.Seed, Strategy: v.Strategy.String(), OK: v.OK(), Steps: v.Steps,
		VTimeNS: int64(v.Time), Hash: hashHex(v.Hash), Events: len(v.Events),
	}
	if f := v.Failure; f != nil {
		out.Failure = &jsonFailure{
			Kind: f.Kind.String(), Message: f.Message, Step: f.Step, TimeNS: int64(f.Time),
			Task: int32(f.Task), TaskName: f.TaskName,
		}
	}
	return out
}

// hashHex renders a trace hash as simrun prints it: 16 hex digits.
func hashHex(h uint64) string { return fmt.Sprintf("%016x", h) }
