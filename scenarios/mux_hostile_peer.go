package scenarios

import (
	"errors"
	"fmt"
	"io"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/mux/wire"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

// peer is the hostile end of a connection: it writes raw frames and reads the server's.
type peer struct {
	rt *sim.Runtime
	c  *simnet.Conn
	rd *wire.Reader // owned by one task at a time
}

// send writes frames in one write.
func (p *peer) send(fs ...wire.Frame) error {
	var b []byte
	for _, f := range fs {
		b = wire.AppendFrame(b, f)
	}
	_, err := p.c.Write(b)
	return err
}

// read returns the server's next frame, whose data it copies. A read that would wait
// longer than peerReadWait fails the run: the server must answer or hang up.
func (p *peer) read() (wire.Frame, error) {
	_ = p.c.SetReadDeadline(p.rt.Now().Add(peerReadWait))
	fr, err := p.rd.ReadFrame()
	p.rt.Always(!simnet.IsTimeout(err), fmt.Sprintf("hostile peer: the server neither answered nor hung up within %v", peerReadWait))
	fr.Data = append([]byte(nil), fr.Data...)
	return fr, err
}

// expectEnd reads until the server hangs up: the read ends with EOF or a reset, not a
// timeout. The frames on the way are the answers to what the peer sent before.
func (p *peer) expectEnd(why string) {
	for range peerFramesMax {
		_, err := p.read()
		if err == nil {
			continue
		}
		p.rt.Always(isHangUp(err), fmt.Sprintf("hostile peer (%s): the connection ended with %v, not a hang-up", why, err))
		return
	}
	p.rt.Fail(fmt.Sprintf("hostile peer (%s): over %d frames and no hang-up", why, peerFramesMax))
}

// isHangUp reports whether a read error says the peer closed or reset the connection.
func isHangUp(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, simnet.ErrReset)
}

// isWindowUpdate reports whether fr is a window update: the server grants the peer
// credit for its messages whenever it likes, so the peer skips them.
func isWindowUpdate(fr wire.Frame) bool { return fr.Control && fr.Kind == 8 }

// unary returns the frames of a unary call on stream: Invoke, Message, CloseSend.
func unary(stream uint64, rpc string, in proto.Message) []wire.Frame {
	data, _ := proto.MarshalOptions{Deterministic: true}.Marshal(in)
	return []wire.Frame{
		{ID: wire.ID{Stream: stream, Message: 1}, Kind: wire.KindInvoke, Done: true, Data: []byte(rpc)},
		{ID: wire.ID{Stream: stream, Message: 2}, Kind: wire.KindMessage, Done: true, Data: data},
		{ID: wire.ID{Stream: stream, Message: 3}, Kind: wire.KindCloseSend, Done: true},
	}
}

// call makes a unary echo on stream and checks its answer exactly.
func (p *peer) call(stream uint64, tag string) {
	if err := p.send(unary(stream, "/svc/Echo", wrapperspb.String(tag))...); err != nil {
		p.rt.Fail(fmt.Sprintf("hostile peer: call on stream %d: %v", stream, err))
		return
	}
	p.expectReply(stream, "echo:"+tag)
}

// expectReply reads a unary answer on stream: one Message holding want, then CloseSend.
// Anything else the server sends meanwhile, but window updates, fails the run.
func (p *peer) expectReply(stream uint64, want string) {
	got := false
	for range peerFramesMax {
		fr, err := p.read()
		switch {
		case err != nil:
			p.rt.Fail(fmt.Sprintf("hostile peer: no answer on stream %d: %v", stream, err))
			return
		case isWindowUpdate(fr):
		case fr.ID.Stream == stream && fr.Kind == wire.KindMessage && !got:
			var out wrapperspb.StringValue
			_ = proto.Unmarshal(fr.Data, &out)
			p.rt.Always(fr.Done && out.Value == want, fmt.Sprintf("hostile peer: stream %d answered %q, want %q", stream, out.Value, want))
			got = true
		case fr.ID.Stream == stream && fr.Kind == wire.KindCloseSend && got:
			return
		default:
			p.rt.Fail(fmt.Sprintf("hostile peer: waiting for the answer on stream %d, got %v %q", stream, fr, fr.Data))
			return
		}
	}
}

// expectError reads an Error frame on stream with code, skipping window updates.
func (p *peer) expectError(stream uint64, code mux.Code) {
	for range peerFramesMax {
		fr, err := p.read()
		switch {
		case err != nil:
			p.rt.Fail(fmt.Sprintf("hostile peer: no error on stream %d: %v", stream, err))
			return
		case isWindowUpdate(fr):
		case fr.ID.Stream == stream && fr.Kind == wire.KindError:
			got, msg, perr := wire.ParseErrorData(fr.Data)
			p.rt.Always(perr == nil && mux.Code(got) == code, fmt.Sprintf("hostile peer: stream %d failed with code %d %q, want %v", stream, got, msg, code))
			return
		default:
			p.rt.Fail(fmt.Sprintf("hostile peer: waiting for an error on stream %d, got %v", stream, fr))
			return
		}
	}
}
