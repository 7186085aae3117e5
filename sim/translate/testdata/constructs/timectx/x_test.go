// Timers, tickers, AfterFunc and a context deadline, on whatever clock runs them.
package timectx

import (
	"context"
	"testing"
	"time"
)

func TestTimeCtx(t *testing.T) {
	start := time.Now()
	select {
	case <-time.After(10 * time.Millisecond):
	case <-time.After(time.Hour):
		t.Fatal("the hour's timer fired first")
	}
	if d := time.Since(start); d < 10*time.Millisecond {
		t.Fatalf("After(10ms) fired after %v", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	<-ctx.Done()
	if ctx.Err() != context.DeadlineExceeded {
		t.Fatalf("ctx.Err() = %v", ctx.Err())
	}
	tk := time.NewTicker(time.Millisecond)
	for i := 0; i < 3; i++ {
		<-tk.C
	}
	tk.Stop()
	fired := make(chan bool, 1)
	time.AfterFunc(time.Millisecond, func() { fired <- true })
	if !<-fired {
		t.Fatal("AfterFunc")
	}
	tm := time.NewTimer(time.Hour)
	if !tm.Stop() {
		t.Fatal("Stop of an unexpired timer reported false")
	}
}
