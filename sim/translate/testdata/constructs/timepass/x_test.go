// Time passes while goroutines run, and a zero Sleep returns at once: the two time
// semantics that make a short timer's firing beside busy goroutines reachable. Both
// tests keep every goroutine busy on unbuffered handoffs (scheduling points that are not
// polls), so that a clock that moved only when every goroutine waits would fail them:
// the first would see no time pass, the second would never return from Sleep(0).
package timepass

import (
	"testing"
	"time"
)

// partner hands values between the caller and a partner goroutine until stop closes.
func partner(ping, pong chan int, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case v := <-ping:
			pong <- v
		}
	}
}

// TestTimeWhileBusy: the clock has moved after 1,000 round trips of two goroutines that
// never both wait, and a one-nanosecond ticker ticks while they keep going. (Go 1.23's
// timer channels report len 0, so the tick is taken with a select.)
func TestTimeWhileBusy(t *testing.T) {
	ping, pong, stop := make(chan int), make(chan int), make(chan struct{})
	defer close(stop)
	go partner(ping, pong, stop)
	start := time.Now()
	for i := 0; i < 1000; i++ {
		ping <- i
		<-pong
	}
	if d := time.Since(start); d <= 0 {
		t.Fatalf("1,000 round trips took %v", d)
	}
	tk := time.NewTicker(time.Nanosecond)
	defer tk.Stop()
	for i := 0; ; i++ {
		ping <- i
		<-pong
		select {
		case <-tk.C:
			return
		default:
		}
		if i == 1000000 {
			t.Fatal("a 1ns ticker did not tick in 1,000,000 round trips")
		}
	}
}

// TestSleepZero: time.Sleep(0) and a negative Sleep return. (That they take no
// scheduling point, rather than wait for the busy goroutines to block, is checked by
// sim/gort's TestSleepZeroReturns: under PCT a starved test goroutine could not show it
// here.)
func TestSleepZero(t *testing.T) {
	ping, pong, stop := make(chan int), make(chan int), make(chan struct{})
	defer close(stop)
	go partner(ping, pong, stop)
	done := make(chan struct{})
	go func() { // keeps the partner busy for 10,000 round trips
		defer close(done)
		for i := 0; i < 10000; i++ {
			ping <- i
			<-pong
		}
	}()
	start := time.Now()
	time.Sleep(0)
	time.Sleep(-time.Second)
	if d := time.Since(start); d >= time.Second {
		t.Fatalf("Sleep(0) and Sleep(-1s) took %v", d)
	}
	<-done
}
