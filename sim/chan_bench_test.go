package sim

import (
	"context"
	"testing"

	"github.com/muxsim/muxsim/scheduler"
)

// The channel benchmarks put Chan under the real runtime next to a native Go channel in
// the same run (its overhead is a nil check and a branch per operation; Select with a
// channel case goes through reflect.Select), and measure the simulator's cost of one
// operation. Run: go test -run '^$' -bench Chan -benchmem ./sim/

// BenchmarkChanPingPong bounces a value between two goroutines over two buffered
// channels: one op is a round trip (two sends, two receives).
func BenchmarkChanPingPong(b *testing.B) {
	b.Run("native", func(b *testing.B) {
		ping, pong := make(chan int, 1), make(chan int, 1)
		go func() {
			for v := range ping {
				pong <- v
			}
			close(pong)
		}()
		for i := 0; b.Loop(); i++ {
			ping <- i
			<-pong
		}
		close(ping)
		<-pong
	})
	b.Run("chan", func(b *testing.B) {
		rt := Real()
		ping, pong := NewChan[int](rt, "ping", 1), NewChan[int](rt, "pong", 1)
		go func() {
			for v := range ping.All() {
				pong.Send(v)
			}
			pong.Close()
		}()
		for i := 0; b.Loop(); i++ {
			ping.Send(i)
			pong.Recv()
		}
		ping.Close()
		pong.Recv()
	})
}

// BenchmarkChanHandoff streams values from one goroutine to another over an unbuffered
// channel: one op is one rendezvous.
func BenchmarkChanHandoff(b *testing.B) {
	b.Run("native", func(b *testing.B) {
		ch, done := make(chan int), make(chan struct{})
		go func() {
			for range ch {
			}
			close(done)
		}()
		for i := 0; b.Loop(); i++ {
			ch <- i
		}
		close(ch)
		<-done
	})
	b.Run("chan", func(b *testing.B) {
		rt := Real()
		ch, done := NewChan[int](rt, "c", 0), make(chan struct{})
		go func() {
			for range ch.All() {
			}
			close(done)
		}()
		for i := 0; b.Loop(); i++ {
			ch.Send(i)
		}
		ch.Close()
		<-done
	})
}

// BenchmarkChanSelect receives through a two-case select over buffered channels that
// always hold a value: native select against rt.Select with RecvCases (reflect.Select).
func BenchmarkChanSelect(b *testing.B) {
	b.Run("native", func(b *testing.B) {
		x, y := make(chan int, 1), make(chan int, 1)
		x <- 1
		y <- 2
		for b.Loop() {
			select {
			case v := <-x:
				x <- v
			case v := <-y:
				y <- v
			}
		}
	})
	b.Run("chan", func(b *testing.B) {
		rt := Real()
		x, y := NewChan[int](rt, "x", 1), NewChan[int](rt, "y", 1)
		x.Send(1)
		y.Send(2)
		var v int
		cx, cy := x.RecvCase(&v), y.RecvCase(&v)
		for b.Loop() {
			if i, _ := rt.Select(context.Background(), cx, cy); i == 0 {
				x.Send(v)
			} else {
				y.Send(v)
			}
		}
	})
}

// BenchmarkChanSimPingPong is the simulator's per-operation cost: two tasks bounce a
// value over an unbuffered channel pair; one op is a round trip (four channel
// operations, each a scheduling point, and the task switches they cause).
func BenchmarkChanSimPingPong(b *testing.B) {
	for _, baton := range []Baton{scheduler.BatonCoroutine, scheduler.BatonChannel} {
		b.Run(baton.String(), func(b *testing.B) {
			o := Options{Baton: baton, MaxSteps: 1 << 62}
			o.Strategy = Sequential
			v := Run(o, func(rt *Runtime) {
				ping, pong := NewChan[int](rt, "ping", 0), NewChan[int](rt, "pong", 0)
				g := rt.NewGroup("g")
				g.Go("echo", func() {
					for v := range ping.All() {
						pong.Send(v)
					}
				})
				for i := 0; b.Loop(); i++ {
					ping.Send(i)
					pong.Recv()
				}
				ping.Close()
				g.Wait()
			})
			if !v.OK() {
				b.Fatal(v.Report())
			}
		})
	}
}
