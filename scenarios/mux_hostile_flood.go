package scenarios

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/mux/wire"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

func init() {
	register(
		&Scenario{
			Name: "mux-hostile-flood",
			Doc: "A hostile peer floods the server with invokes that never send a message, in one " +
				"write or many, reading its socket or not. Complete invokes hold at most MaxStreams " +
				"streams and the rest are refused with ResourceExhausted; invokes or metadata that " +
				"never complete hold at most PendingInvokesMax, and one more ends the connection. " +
				"The writer never queues more than WriterBufferMax, and the good client is served " +
				"throughout. MaxStreams and WriterBufferMax are scaled down (64, 8 KiB) to keep " +
				"runs cheap; a test runs 100,000 invokes against the defaults.",
			Body: func(rt *sim.Runtime) { runHostile(rt, floodAttacks(floodDefault)) },
		},
		&Scenario{
			Name: "mux-hostile-no-read",
			Doc: "A hostile peer opens a server-stream call whose handler sends without end, and " +
				"never reads its socket, with or without granting itself unlimited credit. The " +
				"server's queued bytes for that connection stay under StreamWindow (or " +
				"WriterBufferMax with the credit), the handler blocks rather than buffers, and it " +
				"ends when the peer hangs up; the good client is served throughout. The limits are " +
				"scaled down (StreamWindow 64 KiB, WriterBufferMax 256 KiB) to keep runs cheap; a " +
				"test runs the attack against the defaults.",
			Body: func(rt *sim.Runtime) { runHostile(rt, noReadAttacks(noReadDefault)) },
		},
	)
}

// floodSpec sizes a flood: how many complete invokes and how many incomplete ones the
// peer sends, and the server's MaxStreams and WriterBufferMax.
type floodSpec struct {
	invokes, pending, maxStreams, writerBufferMax int
}

// floodDefault sizes mux-hostile-flood. Against mux's defaults (MaxStreams 1000) a flood
// of 100,000 invokes takes 1 to 3 s of wall time per run (1.4 to 2 million scheduling
// decisions), and even a flood of 3,000 a few tenths of a second: every decision scans
// the thousand handler tasks the flood parks. The catalogue's sweeps cannot afford that, so the scenario lowers
// MaxStreams, and WriterBufferMax so that the refusals of a peer that does not read fill
// the writer (at the default that takes some 25,000 refusals); the incomplete invokes
// go past PendingInvokesMax, still mux's default. hostile_test.go runs the full-size
// flood against the defaults.
var floodDefault = floodSpec{invokes: 400, pending: mux.DefaultPendingInvokesMax + 100, maxStreams: 64, writerBufferMax: 8 << 10}

// floodFull is the flood of the issue: 100,000 invokes against mux's defaults.
var floodFull = floodSpec{invokes: 100_000, pending: 100_000, maxStreams: mux.DefaultMaxStreams, writerBufferMax: mux.DefaultWriterBufferMax}

// floodPausesMax bounds the pauses a flood makes, so that a flood of many small writes
// still ends in a few milliseconds of virtual time.
const floodPausesMax = 16

func floodAttacks(spec floodSpec) []attack {
	// The flood holds MaxStreams streams; what the server queues for the peer is
	// refusals, bounded by the writer's limit. The only messages are the good client's.
	bounds := hostileBounds{writerPending: spec.writerBufferMax, streamQueued: 64, streams: spec.maxStreams}
	opts := mux.Options{MaxStreams: spec.maxStreams, WriterBufferMax: spec.writerBufferMax}
	return []attack{
		{name: "invokes", opts: opts, play: func(h *hostileRun, p *peer) { invokeFlood(h, p, spec.invokes, true) }, bounds: bounds},
		{name: "invokes-unread", opts: opts, play: func(h *hostileRun, p *peer) { invokeFlood(h, p, spec.invokes, false) }, bounds: bounds},
		{name: "partial-invokes", opts: opts, play: func(h *hostileRun, p *peer) {
			pendingFlood(h, p, spec.pending, wire.Frame{Kind: wire.KindInvoke, Data: []byte("/svc/Echo")})
		}, bounds: bounds},
		{name: "metadata", opts: opts, play: func(h *hostileRun, p *peer) {
			pendingFlood(h, p, spec.pending, wire.Frame{Kind: wire.KindInvokeMetadata, Done: true, Data: wire.AppendMetadata(nil, map[string]string{"k": "v"})})
		}, bounds: bounds},
	}
}

// floodWriter writes frames in seeded runs, one write for all of them or many small ones,
// and pauses in virtual time now and then, so that the monitor samples the server
// mid-flood. Callers also flush with a pause at a limit, so that the monitor can see the
// server holding exactly the limit.
type floodWriter struct {
	h          *hostileRun
	p          *peer
	buf        []byte
	runMax     int // frames per write; 0: one write for everything
	inRun      int
	pauseEvery int // frames between pauses
	sincePause int
	pauses     *rand.Rand
	err        error // the first failed write's
}

func newFloodWriter(h *hostileRun, p *peer, frames int) *floodWriter {
	r := h.rt.Rand("flood")
	fw := &floodWriter{h: h, p: p, pauseEvery: max(1, frames/floodPausesMax), pauses: h.rt.Rand("flood pauses")}
	if r.IntN(3) != 0 {
		fw.runMax = 1 + r.IntN(2000)
	}
	return fw
}

// add queues a frame; it reports false once a write has failed (the server hung up).
func (fw *floodWriter) add(f wire.Frame) bool {
	fw.buf = wire.AppendFrame(fw.buf, f)
	fw.inRun++
	fw.sincePause++
	if fw.runMax > 0 && fw.inRun >= fw.runMax {
		return fw.flush(fw.sincePause >= fw.pauseEvery)
	}
	return true
}

// flush writes the queued frames, then pauses if asked.
func (fw *floodWriter) flush(pause bool) bool {
	_, err := fw.p.c.Write(fw.buf)
	fw.buf, fw.inRun = fw.buf[:0], 0
	fw.err = cmp.Or(fw.err, err)
	if pause {
		fw.sincePause = 0
		_ = fw.h.rt.Sleep(context.Background(), 1+time.Duration(fw.pauses.Int64N(int64(2*monitorGap))))
	}
	return err == nil
}

// floodStew is how long a flooding peer that does not read goes on before it hangs up.
const floodStew = 5 * time.Millisecond

// invokeFlood sends n complete invokes that never send their message, then a probe
// call. The first MaxStreams hold a stream each; every later one, the probe included, is
// refused with ResourceExhausted, and the connection carries on. A peer that reads
// counts the refusals. One that does not (reads false) fills the server's writer with
// them, which must hold back the server's reader rather than grow: the peer's own writes
// then stall, as over TCP, until it gives up after floodStew.
func invokeFlood(h *hostileRun, p *peer, n int, reads bool) {
	rt := h.rt
	limit := h.opts.MaxStreams
	want := n - limit + 1
	readers := rt.NewGroup("flood reader")
	refused := 0
	if reads {
		readers.Go("flood reader", func() { refused = countRefusals(h, p, want) })
	} else {
		_ = p.c.SetWriteDeadline(rt.Now().Add(floodStew))
	}
	fw := newFloodWriter(h, p, n)
	sent := func() bool {
		for i := range n {
			id := uint64(1 + i)
			if !fw.add(wire.Frame{ID: wire.ID{Stream: id, Message: 1}, Kind: wire.KindInvoke, Done: true, Data: []byte("/svc/Echo")}) {
				return false
			}
			if int(id) == limit && !fw.flush(true) {
				return false
			}
		}
		for _, f := range unary(uint64(n+1), "/svc/Echo", wrapperspb.String("probe")) {
			fw.add(f)
		}
		return fw.flush(false)
	}()
	rt.Always(sent || !reads && simnet.IsTimeout(fw.err), fmt.Sprintf("invoke flood: a write failed with %v", fw.err))
	if !reads {
		rt.Sometimes(!sent, "the server stopped reading a flood whose peer did not read its refusals")
		rt.Sometimes(h.server.Stats().Peak.WriterPending > h.opts.WriterBufferMax/2, "an invoke flood's unread refusals filled the server's writer")
		if sent {
			_ = rt.Sleep(context.Background(), floodStew)
		}
		return
	}
	readers.Wait()
	rt.Always(refused == want, fmt.Sprintf("invoke flood: %d refusals, want %d", refused, want))
	rt.Sometimes(h.server.Stats().Peak.Streams == limit, "invoke flood hit MaxStreams")
}

// countRefusals reads until it has seen want ResourceExhausted Error frames for streams
// beyond MaxStreams, within peerReadWait in all; any other frame fails the run.
func countRefusals(h *hostileRun, p *peer, want int) int {
	rt := h.rt
	_ = p.c.SetReadDeadline(rt.Now().Add(peerReadWait))
	n := 0
	for n < want {
		fr, err := p.rd.ReadFrame()
		if err != nil {
			rt.Fail(fmt.Sprintf("invoke flood: the connection ended after %d refusals: %v", n, err))
			return n
		}
		code, _, perr := wire.ParseErrorData(fr.Data)
		if fr.Kind != wire.KindError || perr != nil || mux.Code(code) != mux.ResourceExhausted || fr.ID.Stream <= uint64(h.opts.MaxStreams) {
			rt.Fail(fmt.Sprintf("invoke flood: want a refusal, got %v %q", fr, fr.Data))
			return n
		}
		n++
	}
	return n
}

// pendingFlood sends n invokes that never complete (an Invoke without its done frame,
// or metadata without its Invoke), each on a new stream: PendingInvokesMax are held, one
// more ends the connection.
func pendingFlood(h *hostileRun, p *peer, n int, f wire.Frame) {
	rt := h.rt
	fw := newFloodWriter(h, p, n)
	pause := rt.Rand("flood limit pause").IntN(2) == 0
	for i := range n {
		f.ID = wire.ID{Stream: uint64(1 + i), Message: 1}
		if !fw.add(f) {
			break
		}
		if i+1 == h.opts.PendingInvokesMax && pause && !fw.flush(true) {
			break
		}
	}
	fw.flush(false)
	p.expectEnd("pending flood")
	h.mu.Lock()
	hit := h.pendingMax == h.opts.PendingInvokesMax
	h.mu.Unlock()
	rt.Sometimes(hit, "invoke flood hit PendingInvokesMax")
}

// noReadSpec sizes the no-read attacks: the server's StreamWindow and WriterBufferMax.
type noReadSpec struct {
	streamWindow, writerBufferMax int
}

// noReadDefault sizes mux-hostile-no-read: a quarter of mux's defaults, since filling the
// default 1 MiB writer makes a run cost several times more, in copying alone.
// hostile_test.go runs the attacks against the defaults (noReadFull).
var noReadDefault = noReadSpec{streamWindow: 64 << 10, writerBufferMax: 256 << 10}

// noReadFull is mux's defaults.
var noReadFull = noReadSpec{streamWindow: mux.DefaultStreamWindow, writerBufferMax: mux.DefaultWriterBufferMax}

// noReadAttacks open a flood of responses and never read them.
func noReadAttacks(spec noReadSpec) []attack {
	opts := mux.Options{StreamWindow: spec.streamWindow, WriterBufferMax: spec.writerBufferMax}
	return []attack{
		{name: "no-read", opts: opts, play: func(h *hostileRun, p *peer) { noRead(h, p, false) },
			bounds: hostileBounds{writerPending: spec.streamWindow + noReadMessage, streamQueued: 64, streams: 1}},
		{name: "no-read-credit", opts: opts, play: func(h *hostileRun, p *peer) { noRead(h, p, true) },
			bounds: hostileBounds{writerPending: spec.writerBufferMax, streamQueued: 64, streams: 1}},
	}
}

// noReadMessages is how many messages the no-read peer asks for: 4 GiB, far more than
// any buffer may hold.
const noReadMessages = 1 << 20

// noReadMessage is the size of one, encoded: floodMessage's 4 KiB and its tag and length.
var noReadMessage = proto.Size(wrapperspb.Bytes(floodMessage(0)))

// noRead asks /svc/Flood for noReadMessages messages and never reads. Without credit,
// the stream's window holds the handler back; with credit (the largest window update the
// server accepts), only the writer's limit does. After a seeded while the peer hangs up:
// it closes, or half-closes first so that the server's reader sees EOF while its writer
// is stuck.
func noRead(h *hostileRun, p *peer, credit bool) {
	rt := h.rt
	r := rt.Rand("no-read")
	fs := unary(1, "/svc/Flood", wrapperspb.Int64(noReadMessages))
	if credit {
		fs = append(fs, wire.Frame{ID: wire.ID{Stream: 1, Message: 4}, Kind: 8, Control: true, Done: true, Data: wire.AppendVarint(nil, 1<<40)})
	}
	if err := p.send(fs...); err != nil {
		rt.Fail("no-read: " + err.Error())
		return
	}
	_ = rt.Sleep(context.Background(), time.Duration(2+r.IntN(10))*time.Millisecond)
	peak := h.server.Stats().Peak.WriterPending
	if credit {
		rt.Sometimes(peak > h.opts.WriterBufferMax-noReadMessage, "a peer that never reads but grants credit filled the server's writer")
	} else {
		rt.Sometimes(peak > h.opts.StreamWindow-noReadMessage, "a peer that never reads filled its stream's window")
	}
	if r.IntN(2) == 0 {
		_ = p.c.CloseWrite()
		_ = rt.Sleep(context.Background(), time.Duration(r.IntN(5))*time.Millisecond)
	}
}
