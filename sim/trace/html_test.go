package trace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/scheduler"
)

// pageJSON returns the data a page embeds, decoded.
func pageJSON(t *testing.T, page string) pageData {
	t.Helper()
	const open = `<script type="application/json" id="data">`
	i := strings.Index(page, open)
	j := strings.Index(page[i+1:], "</script>")
	if i < 0 || j < 0 {
		t.Fatal("no embedded data in the page")
	}
	var d pageData
	if err := json.Unmarshal([]byte(page[i+len(open):i+1+j]), &d); err != nil {
		t.Fatalf("embedded data: %v", err)
	}
	return d
}

// TestHTML checks that the page of mux-mixed embeds a drawing with a lane per task and
// the frames, and the verdict in its header.
func TestHTML(t *testing.T) {
	v := mixed(t)
	var buf bytes.Buffer
	if err := WriteHTML(&buf, v); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	d := pageJSON(t, page)
	// Timers fire outside any task: their lane, task 0, comes first.
	if len(d.Lanes) != len(v.Names)+1 || d.Lanes[0].Name != "scheduler" || d.Lanes[1].Name != "main" ||
		len(d.Frames) == 0 || len(d.Spans) == 0 || d.Fail != nil {
		t.Fatalf("page data: %d lanes for %d tasks (%v first), %d frames, %d spans, fail %v",
			len(d.Lanes), len(v.Names), d.Lanes[0], len(d.Frames), len(d.Spans), d.Fail)
	}
	for _, want := range []string{fmt.Sprintf("%016x", v.Hash), v.Strategy.String(), `class="ok"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "http://") && !strings.Contains(page, `"http://www.w3.org/2000/svg"`) || strings.Contains(page, "https://") {
		t.Error("page refers to the network")
	}
}

// TestHTMLEscapes checks that a note and a failure message holding markup stay text.
func TestHTMLEscapes(t *testing.T) {
	const evil = `</script><b>x</b> & "q"`
	v := synthetic([]string{"main"},
		ev(scheduler.EvRun, 1, 1, ""),
		ev(scheduler.EvNote, 1, 1, evil),
		ev(scheduler.EvFail, 1, 2, evil),
	)
	v.Failure = &scheduler.Failure{Kind: scheduler.FailAssert, Message: evil, Step: 2, Task: 1, TaskName: "main"}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, v); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if strings.Contains(page, "<b>") || strings.Count(page, "</script>") != 2 {
		t.Fatalf("markup from a note reached the page:\n%s", page)
	}
	if !strings.Contains(page, `\u003c/script\u003e\u003cb\u003e`) || !strings.Contains(page, "&lt;/script&gt;&lt;b&gt;") {
		t.Fatal("the note is not in the page, escaped, as data and as text")
	}
	if d := pageJSON(t, page); d.Marks[0].H != v.Describe(v.Events[1]) || d.Fail == nil || d.Fail.A != 2 {
		t.Fatalf("embedded data does not round-trip: %+v", d.Marks)
	}
}

// TestHTMLCap checks that a long trace is drawn from its last events and says so.
func TestHTMLCap(t *testing.T) {
	var evs []scheduler.Event
	for i := range drawnEventsMax + 5000 {
		evs = append(evs, ev(scheduler.EvRun, scheduler.TaskID(1+i%2), uint64(i+1), ""))
	}
	v := synthetic([]string{"a", "b"}, evs...)
	var buf bytes.Buffer
	if err := WriteHTML(&buf, v); err != nil {
		t.Fatal(err)
	}
	d := pageJSON(t, buf.String())
	if len(d.Spans) != drawnEventsMax || d.From != 5001 || !strings.Contains(buf.String(), "showing the last 20000 of 25000 events") {
		t.Fatalf("capped page draws %d spans from step %d", len(d.Spans), d.From)
	}
}

// TestEmpty checks that a verdict without a log (Options.Log off) still gives valid
// output in every format: the verdict alone.
func TestEmpty(t *testing.T) {
	v := synthetic(nil)
	var jsonl, chrome, page bytes.Buffer
	if err := errors.Join(WriteJSONL(&jsonl, v), WriteChrome(&chrome, v), WriteHTML(&page, v)); err != nil {
		t.Fatal(err)
	}
	if strings.Count(jsonl.String(), "\n") != 1 || !json.Valid(chrome.Bytes()) || !strings.Contains(page.String(), "no events were recorded") {
		t.Fatalf("empty verdict:\n%s\n%s", jsonl.String(), chrome.String())
	}
	if d := pageJSON(t, page.String()); d.Lanes == nil || d.Spans == nil || d.Frames == nil {
		t.Fatal("empty lists must be [] for the page's script, not null")
	}
}
