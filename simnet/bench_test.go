package simnet

import (
	"io"
	"net"
	"testing"

	"github.com/muxsim/muxsim/sim"
)

// The transfer benchmarks move 64 MiB in 64 KiB writes through a connection and read it in
// 32 KiB reads, side by side in one run (README, "Simulated transport"):
//
//	go test ./simnet -run '^$' -bench Transfer -count 5

const transferBytes = 64 << 20

func transfer(b *testing.B, rt *sim.Runtime, w, r net.Conn) {
	chunk := make([]byte, 64<<10)
	g := rt.NewGroup("g")
	g.Go("writer", func() {
		for sent := 0; sent < transferBytes; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				b.Error(err)
				return
			}
		}
		w.Close()
	})
	buf := make([]byte, 32<<10)
	got := 0
	for {
		n, err := r.Read(buf)
		got += n
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	g.Wait()
	if got != transferBytes {
		b.Fatalf("read %d bytes", got)
	}
}

func BenchmarkTransferNetPipe(b *testing.B) {
	b.SetBytes(transferBytes)
	for b.Loop() {
		w, r := net.Pipe()
		transfer(b, sim.Real(), w, r)
		r.Close()
	}
}

func benchSim(b *testing.B, plan Plan) {
	b.SetBytes(transferBytes)
	for b.Loop() {
		var o sim.Options
		o.Seed = 1
		v := sim.Run(o, func(rt *sim.Runtime) {
			w, r := Pipe(rt, "c", plan)
			transfer(b, rt, w, r)
			r.Close()
		})
		if !v.OK() {
			b.Fatal(v.Report())
		}
	}
}

func BenchmarkTransferSim(b *testing.B)      { benchSim(b, Plan{}) }
func BenchmarkTransferSimSplit(b *testing.B) { benchSim(b, Plan{Split: true}) }
