package scenarios

import (
	"context"
	"fmt"
	"strings"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/mux/wire"
	"github.com/muxsim/muxsim/sim"
)

func init() {
	register(
		&Scenario{
			Name: "mux-hostile-peer",
			Doc: "A hostile peer sends the server one malformed byte string, chosen by the seed, " +
				"while a good client calls it on another connection. Garbage, an over-long varint, " +
				"stream or message 0, an unknown kind without the control bit and a frame declaring " +
				"more than 4 MiB end that connection; frames for unknown streams and unknown " +
				"control kinds are ignored, and the peer's next call is answered. The good client's " +
				"calls all succeed and the server is left holding nothing.",
			Body: func(rt *sim.Runtime) { runHostile(rt, malformedAttacks()) },
		},
		&Scenario{
			Name: "mux-hostile-oversized",
			Doc: "A hostile peer sends a packet of exactly PacketMax bytes in many frames, then one " +
				"byte more. A message is refused stream by stream: the server ends the stream with " +
				"a ResourceExhausted Error frame naming the packet limit, its handler sees the same, " +
				"and the connection serves the next call; " +
				"an Invoke or its metadata that large ends the connection; metadata over MetadataMax " +
				"is refused with a ResourceExhausted Error frame. Up to the limit everything is " +
				"accepted.",
			Body: func(rt *sim.Runtime) { runHostile(rt, oversizedAttacks(oversizedPacketMax)) },
		},
		&Scenario{
			Name: "mux-hostile-trickle",
			Doc: "A hostile peer sends valid calls one byte per write with seeded pauses, including " +
				"metadata and a message split over frames. Every call is answered exactly, and the " +
				"good client on another connection is unaffected.",
			Body: func(rt *sim.Runtime) { runHostile(rt, trickleAttacks()) },
		},
	)
}

// malformedAttacks are byte strings that break the frame format or DRPC's rules; the
// fatal ones must end the connection, the others must be ignored.
func malformedAttacks() []attack {
	fatal := func(name string, b []byte) attack {
		return attack{name: name, bounds: smallBounds, play: func(h *hostileRun, p *peer) {
			_, _ = p.c.Write(b)
			p.expectEnd(name)
		}}
	}
	ignored := func(name string, fs ...wire.Frame) attack {
		return attack{name: name, bounds: smallBounds, play: func(h *hostileRun, p *peer) {
			if err := p.send(fs...); err != nil {
				h.rt.Fail(name + ": " + err.Error())
				return
			}
			p.call(101, name) // the connection lives on
		}}
	}
	frame := func(f wire.Frame) []byte { return wire.AppendFrame(nil, f) }
	// A header, stream 1, message 1 and a length of FrameDataMax+1: nothing more is needed.
	huge := wire.AppendVarint([]byte{0x05, 0x01, 0x01}, wire.FrameDataMax+1)
	return []attack{
		// 'G' reads as kind 35 without the control bit, then a 32-byte frame.
		fatal("garbage", append([]byte("GET / HTTP/1.1\r\n\r\n"), make([]byte, 64)...)),
		fatal("long-varint", []byte{0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}),
		fatal("stream-0", frame(wire.Frame{ID: wire.ID{Stream: 0, Message: 1}, Kind: wire.KindMessage, Done: true})),
		fatal("message-0", frame(wire.Frame{ID: wire.ID{Stream: 1, Message: 0}, Kind: wire.KindInvoke, Done: true, Data: []byte("/svc/Echo")})),
		fatal("unknown-kind", frame(wire.Frame{ID: wire.ID{Stream: 1, Message: 1}, Kind: 20, Done: true})),
		fatal("huge-frame", huge),
		ignored("unknown-stream",
			wire.Frame{ID: wire.ID{Stream: 9, Message: 1}, Kind: wire.KindMessage, Done: true, Data: []byte("x")},
			wire.Frame{ID: wire.ID{Stream: 9, Message: 2}, Kind: wire.KindCancel, Control: true, Done: true}),
		ignored("unknown-control-kind", wire.Frame{ID: wire.ID{Stream: 3, Message: 1}, Kind: 21, Control: true, Done: true, Data: []byte("?")}),
	}
}

// oversizedPacketMax is the server's PacketMax in mux-hostile-oversized. The default,
// 4 MiB, makes a run cost about 30 ms of CPU, most of it copying; 64 KiB shows the same
// limits, still over many frames, at a small fraction of the cost. hostile_test.go runs
// the attacks against the default.
const oversizedPacketMax = 64 << 10

// oversizedAttacks send a packet of exactly packetMax bytes, check that the server took
// it, then push it one byte over.
func oversizedAttacks(packetMax int) []attack {
	limitBounds := hostileBounds{writerPending: 4 << 10, streamQueued: 4 << 10, streams: 4}
	opts := mux.Options{PacketMax: packetMax}
	if packetMax > 0 {
		// Metadata is a packet too: MetadataMax must stay under PacketMax for metadata
		// over it to be refused rather than end the connection.
		opts.MetadataMax = packetMax / 4
	}
	return []attack{
		{name: "message", opts: opts, play: oversizedMessage, after: func(h *hostileRun) {
			// The handler hears why, as the peer did.
			h.mu.Lock()
			err := h.sinkErr
			h.mu.Unlock()
			h.rt.Always(mux.CodeOf(err) == mux.ResourceExhausted && strings.Contains(err.Error(), "packet limit"),
				fmt.Sprintf("oversized message: the handler saw %v", err))
		}, bounds: limitBounds},
		{name: "invoke", opts: opts, play: func(h *hostileRun, p *peer) { oversizedInvoke(h, p, wire.KindInvoke) }, bounds: limitBounds},
		{name: "metadata", opts: opts, play: func(h *hostileRun, p *peer) { oversizedInvoke(h, p, wire.KindInvokeMetadata) }, bounds: limitBounds},
		{name: "metadata-limit", opts: opts, play: metadataLimit, bounds: limitBounds},
	}
}

// sendLimit sends the server's PacketMax bytes of a kind on stream as frames of seeded
// sizes, at least 16 of them and none over 64 KiB, in seeded runs of writes, without
// finishing the packet.
func sendLimit(h *hostileRun, p *peer, stream, msg uint64, kind wire.Kind) bool {
	r := h.rt.Rand("oversized")
	frameMax := min(wire.SplitDataMax, h.opts.PacketMax/16)
	chunk := make([]byte, frameMax)
	var b []byte
	for left := h.opts.PacketMax; left > 0; {
		n := min(left, frameMax/4+r.IntN(frameMax*3/4+1))
		b = wire.AppendFrame(b, wire.Frame{ID: wire.ID{Stream: stream, Message: msg}, Kind: kind, Data: chunk[:n]})
		left -= n
		if len(b) >= 256<<10 || left == 0 || r.IntN(8) == 0 {
			if _, err := p.c.Write(b); err != nil {
				h.rt.Fail(fmt.Sprintf("oversized %v: write: %v", kind, err))
				return false
			}
			b = b[:0]
		}
	}
	return true
}

// oversizedMessage: a message is a stream's business. The stream is refused with an
// Error at PacketMax+1 bytes, not before, and the connection carries on.
func oversizedMessage(h *hostileRun, p *peer) {
	rt := h.rt
	if err := p.send(wire.Frame{ID: wire.ID{Stream: 1, Message: 1}, Kind: wire.KindInvoke, Done: true, Data: []byte("/hostile/Sink")}); err != nil {
		rt.Fail("oversized message: invoke: " + err.Error())
		return
	}
	if !sendLimit(h, p, 1, 2, wire.KindMessage) {
		return
	}
	// At the limit the stream lives: a call on stream 3 is answered with no Error for
	// stream 1 in between (an Error would be queued before the reader reads the next
	// frame, and the writer serves streams in turn, so it would go out before stream 3's
	// CloseSend).
	p.call(3, "at-limit")
	if err := p.send(wire.Frame{ID: wire.ID{Stream: 1, Message: 2}, Kind: wire.KindMessage, Done: true, Data: []byte{0}}); err != nil {
		rt.Fail("oversized message: last byte: " + err.Error())
		return
	}
	for range peerFramesMax {
		fr, err := p.read()
		switch {
		case err != nil:
			rt.Fail(fmt.Sprintf("oversized message: no Error for stream 1: %v", err))
			return
		case isWindowUpdate(fr):
			continue
		default:
			code, msg, perr := wire.ParseErrorData(fr.Data)
			rt.Always(fr.ID.Stream == 1 && fr.Kind == wire.KindError && fr.Done && perr == nil &&
				mux.Code(code) == mux.ResourceExhausted && strings.Contains(msg, "packet limit"),
				fmt.Sprintf("oversized message: want a ResourceExhausted Error naming the packet limit for stream 1, got %v %q", fr, fr.Data))
		}
		break
	}
	p.call(5, "after-limit") // stream-scoped: the connection serves on
}

// oversizedInvoke: an invoke's packets are assembled before there is a stream to
// cancel, so one over PacketMax ends the connection. Up to the limit, the connection
// serves other streams.
func oversizedInvoke(h *hostileRun, p *peer, kind wire.Kind) {
	if !sendLimit(h, p, 1, 1, kind) {
		return
	}
	p.call(3, "at-limit")
	_ = p.send(wire.Frame{ID: wire.ID{Stream: 1, Message: 1}, Kind: kind, Done: true, Data: []byte{0}})
	p.expectEnd("oversized " + kind.String())
}

// metadataLimit: metadata of exactly MetadataMax bytes is served, one byte more is
// refused with ResourceExhausted, and the connection carries on.
func metadataLimit(h *hostileRun, p *peer) {
	md := func(n int) []byte {
		// One entry "k": a value v bytes long costs v plus a few bytes of tags and lengths,
		// so the value that makes n bytes is a little under n.
		for v := n; v > n-16; v-- {
			b := wire.AppendMetadata(nil, map[string]string{"k": strings.Repeat("v", v)})
			if len(b) == n {
				return b
			}
		}
		panic("no metadata of that size")
	}
	for i, size := range []int{h.opts.MetadataMax, h.opts.MetadataMax + 1} {
		stream := uint64(1 + 2*i)
		tag := fmt.Sprint("md-", size)
		fs := append([]wire.Frame{{ID: wire.ID{Stream: stream, Message: 1}, Kind: wire.KindInvokeMetadata, Done: true, Data: md(size)}},
			unary(stream, "/svc/Echo", wrapperspb.String(tag))...)
		fs[1].ID.Message, fs[2].ID.Message, fs[3].ID.Message = 2, 3, 4
		if err := p.send(fs...); err != nil {
			h.rt.Fail("metadata limit: " + err.Error())
			return
		}
		if size <= h.opts.MetadataMax {
			p.expectReply(stream, "echo:"+tag)
		} else {
			p.expectError(stream, mux.ResourceExhausted)
		}
	}
	p.call(5, "after-limit")
}

// trickleAttacks send valid calls one byte per write.
func trickleAttacks() []attack {
	return []attack{{name: "trickle", play: trickle, bounds: smallBounds}}
}

// trickle sends two calls byte by byte: one with metadata, one whose message is split
// over three frames. Both are answered exactly.
func trickle(h *hostileRun, p *peer) {
	rt := h.rt
	r := rt.Rand("trickle")
	first := append([]wire.Frame{{ID: wire.ID{Stream: 1, Message: 1}, Kind: wire.KindInvokeMetadata, Done: true,
		Data: wire.AppendMetadata(nil, map[string]string{"caller": "trickle"})}}, unary(1, "/svc/Echo", wrapperspb.String("slow"))...)
	first[1].ID.Message, first[2].ID.Message, first[3].ID.Message = 2, 3, 4
	second := unary(3, "/svc/Echo", wrapperspb.String("split over frames"))
	msg := second[1]
	second = []wire.Frame{second[0],
		{ID: msg.ID, Kind: wire.KindMessage, Data: msg.Data[:3]},
		{ID: msg.ID, Kind: wire.KindMessage, Data: msg.Data[3:8]},
		{ID: msg.ID, Kind: wire.KindMessage, Done: true, Data: msg.Data[8:]},
		second[2]}
	for _, call := range []struct {
		fs   []wire.Frame
		id   uint64
		want string
	}{{first, 1, "echo:slow"}, {second, 3, "echo:split over frames"}} {
		var b []byte
		for _, f := range call.fs {
			b = wire.AppendFrame(b, f)
		}
		for i := range b {
			if _, err := p.c.Write(b[i : i+1]); err != nil {
				rt.Fail(fmt.Sprintf("trickle: byte %d: %v", i, err))
				return
			}
			_ = rt.Sleep(context.Background(), sim.Micros(r.IntN(20)))
		}
		p.expectReply(call.id, call.want)
	}
}
