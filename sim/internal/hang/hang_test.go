package hang

import (
	"strings"
	"testing"
	"time"
)

// TestTrim keeps root, its descendants, and orphans younger than root; it drops older
// goroutines and their descendants. Method: a synthetic dump in runtime.Stack's format.
func TestTrim(t *testing.T) {
	rec := func(id, creator string) string {
		s := "goroutine " + id + " [chan receive]:\nmain.g" + id + "()\n\t/x.go:1 +0x1"
		if creator != "" {
			s += "\ncreated by main.f in goroutine " + creator + "\n\t/x.go:2 +0x2"
		}
		return s
	}
	dump := strings.Join([]string{
		rec("1", ""),    // main: older than root
		rec("7", "1"),   // the test's goroutine
		rec("9", "7"),   // root
		rec("12", "9"),  // root's child
		rec("15", "12"), // its grandchild
		rec("20", "18"), // an orphan younger than root: its creator, 18, exited
		rec("8", "3"),   // an orphan older than root
		rec("30", "7"),  // started by the test's goroutine, not by root
	}, "\n\n") + "\n"
	kept, shown, total := Trim([]byte(dump), 9)
	if shown != 4 || total != 8 {
		t.Errorf("shown %d of %d, want 4 of 8:\n%s", shown, total, kept)
	}
	for _, id := range []string{"9", "12", "15", "20"} {
		if !strings.Contains(string(kept), "main.g"+id+"()") {
			t.Errorf("goroutine %s is missing:\n%s", id, kept)
		}
	}
	for _, id := range []string{"1", "7", "8", "30"} {
		if strings.Contains(string(kept), "main.g"+id+"()") {
			t.Errorf("goroutine %s should be trimmed:\n%s", id, kept)
		}
	}
}

// TestReport dumps a live goroutine started under the caller, and a state that never
// answers is reported, not waited for.
func TestReport(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	started := make(chan struct{})
	go parkedForReport(started, stop)
	<-started // the goroutine is inside parkedForReport
	out := Report(ID(), func() string { <-stop; return "" })
	if !strings.Contains(out, "hang.parkedForReport(") || !strings.Contains(out, "hang.TestReport(") {
		t.Errorf("the report lacks the caller or its goroutine:\n%s", out)
	}
	if !strings.Contains(out, "(no answer within 1s") {
		t.Errorf("the report does not say the state did not answer:\n%s", out)
	}
}

func parkedForReport(started, stop chan struct{}) {
	close(started)
	<-stop
}

// TestLimit: the timeout, cut by a deadline to end Margin before it, or to half of
// what is left when that is short.
func TestLimit(t *testing.T) {
	if got := Limit(10*time.Second, time.Time{}); got != 10*time.Second {
		t.Errorf("no deadline: %v", got)
	}
	if got := Limit(10*time.Second, time.Now().Add(time.Hour)); got != 10*time.Second {
		t.Errorf("far deadline: %v", got)
	}
	if got := Limit(10*time.Second, time.Now().Add(8*time.Second)); got > 5*time.Second || got < 4*time.Second {
		t.Errorf("deadline in 8s: %v, want about 5s", got)
	}
	if got := Limit(10*time.Second, time.Now().Add(2*time.Second)); got > time.Second || got < 900*time.Millisecond {
		t.Errorf("deadline in 2s: %v, want about 1s", got)
	}
	if got := Limit(10*time.Second, time.Now().Add(-time.Second)); got != time.Millisecond {
		t.Errorf("past deadline: %v, want 1ms", got)
	}
}
