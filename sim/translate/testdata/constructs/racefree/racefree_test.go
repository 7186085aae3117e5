// Goroutines sharing memory only through the happens-before edges Go's primitives make:
// under -race the detector must stay silent, natively and translated. Each test publishes
// plain writes through one primitive and reads them on the other side.
package racefree

import (
	"context"
	"math/rand"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestWaitGroupAndMutex(t *testing.T) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	vals := make([]int, 4)
	total := 0
	for i := range vals {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vals[i] = i + 1 // published by Done -> Wait
			mu.Lock()
			total += i + 1 // ordered by Unlock -> Lock
			mu.Unlock()
		}()
	}
	wg.Wait()
	if vals[3] != 4 || total != 10 {
		t.Fatalf("vals %v total %d", vals, total)
	}
}

func TestRWMutex(t *testing.T) {
	var rw sync.RWMutex
	x := 0
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(2)
		go func() { // a writer: Unlock -> the next RLock and Lock
			defer wg.Done()
			rw.Lock()
			x++
			rw.Unlock()
		}()
		go func() { // a reader: RUnlock -> the next Lock
			defer wg.Done()
			rw.RLock()
			_ = x
			rw.RUnlock()
		}()
	}
	wg.Wait()
	if x != 3 {
		t.Fatalf("x = %d", x)
	}
}

func TestChannels(t *testing.T) {
	data := make([]int, 3)
	unbuf := make(chan int)
	buf := make(chan int, 2)
	closed := make(chan struct{})
	go func() {
		data[0] = 1
		unbuf <- 0 // send -> receive
		data[1] = 2
		buf <- 1
		data[2] = 3
		close(closed) // close -> the receive that sees it
	}()
	<-unbuf
	_ = data[0]
	<-buf
	_ = data[1]
	<-closed
	if data[2] != 3 {
		t.Fatalf("data %v", data)
	}
}

func TestCondOnceAtomic(t *testing.T) {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready, msg := false, ""
	go func() {
		mu.Lock()
		msg, ready = "hello", true // ordered by cond.L
		cond.Signal()
		mu.Unlock()
	}()
	mu.Lock()
	for !ready {
		cond.Wait()
	}
	_ = msg
	mu.Unlock()

	var once sync.Once
	var cfg int
	var flag atomic.Bool
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { cfg = 7 }) // the one call -> every Do's return
			if cfg != 7 {
				t.Errorf("cfg %d after Do", cfg)
			}
		}()
	}
	wg.Wait()
	payload := 0
	go func() {
		payload = 42
		flag.Store(true) // a store -> the load that sees it
	}()
	for !flag.Load() {
	}
	if payload != 42 {
		t.Fatalf("payload %d", payload)
	}
}

func TestTimersContextRand(t *testing.T) {
	note := 0
	fired := make(chan struct{})
	note = 1 // before AfterFunc -> in its function
	time.AfterFunc(time.Millisecond, func() {
		_ = note
		close(fired)
	})
	<-fired

	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = rand.Intn(10) // math/rand's global functions are safe for concurrent use
			t.Log("worker", i)
			<-ctx.Done()
		}()
	}
	wg.Wait()
}
