// Range over a channel in its three forms: the channel expression is evaluated once,
// each iteration has its own variable (Go 1.22), continue receives the next value, and
// the loop ends when the channel is closed and drained.
package chanrange

import "testing"

func TestChanRange(t *testing.T) {
	calls := 0
	source := func() chan int {
		calls++
		ch := make(chan int, 4)
		for i := 1; i <= 4; i++ {
			ch <- i
		}
		close(ch)
		return ch
	}
	var fs []func() int
	sum := 0
	for v := range source() {
		if v == 2 {
			continue
		}
		sum += v
		fs = append(fs, func() int { return v })
	}
	if calls != 1 || sum != 8 {
		t.Fatalf("calls %d, sum %d; want 1 and 8", calls, sum)
	}
	if got := fs[0]() + fs[1]()*10 + fs[2]()*100; got != 431 {
		t.Fatalf("captured %d, want 431: each iteration its own variable", got)
	}

	var last int
	n := 0
	for last = range source() {
		n++
	}
	if last != 4 || n != 4 {
		t.Fatalf("assign form: last %d after %d values", last, n)
	}

	done := make(chan struct{})
	got := make(chan int)
	go func() {
		count := 0
		for range got {
			count++
		}
		if count != 3 {
			t.Errorf("plain form counted %d, want 3", count)
		}
		close(done)
	}()
	for i := 0; i < 3; i++ {
		got <- i
	}
	close(got)
	<-done
}
