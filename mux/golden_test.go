package mux

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/sim"
)

// The observed byte traces of storj.io/drpc v1.0.0 (reference/drpc.md §1.7), written as
// hex with the text parts quoted: our client and our server must put exactly these bytes
// on the wire, frame for frame.
var (
	goldenUnaryRequest = traceBytes(`0f 01 01 08 0a060a016b120176 03 01 02 0d "/svc.Svc/Echo" 05 01 03 02 "hi" 0d 01 04 00`)
	goldenUnaryClose   = traceBytes(`0b 01 05 00`)
	goldenUnaryReply   = traceBytes(`05 01 01 0c "echo:hi md=v" 0d 01 02 00`)
	goldenErrorRequest = traceBytes(`03 02 01 0d "/svc.Svc/Echo" 05 02 02 04 "fail" 0d 02 03 00`)
	goldenErrorReply   = traceBytes(`07 02 01 0c 0000000000000007 "boom"`)
	goldenBidiRequest  = traceBytes(`03 03 01 0d "/svc.Svc/Bidi" 05 03 02 01 61 05 03 03 01 62 0d 03 04 00`)
	goldenBidiReply    = traceBytes(`05 03 01 01 61 05 03 02 01 62 0d 03 03 00`)
)

// traceBytes reads hex bytes and quoted strings.
func traceBytes(s string) []byte {
	var out []byte
	for i, part := range strings.Split(s, `"`) {
		if i%2 == 1 {
			out = append(out, part...)
			continue
		}
		b, err := hex.DecodeString(strings.ReplaceAll(part, " ", ""))
		if err != nil {
			panic(err)
		}
		out = append(out, b...)
	}
	return out
}

// goldenHandler answers the traces' RPCs with raw bytes: Echo replies "echo:<req> md=<k>"
// or fails "fail" with code 7, Bidi echoes.
func goldenHandler(s *Stream, rpc string) error {
	switch rpc {
	case "/svc.Svc/Echo":
		req, err := s.RecvBytes()
		if err != nil {
			return err
		}
		if string(req) == "fail" {
			return Errorf(7, "boom")
		}
		return s.SendBytes([]byte("echo:" + string(req) + " md=" + IncomingMetadata(s.Context())["k"]))
	case "/svc.Svc/Bidi":
		for {
			m, err := s.RecvBytes()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := s.SendBytes(m); err != nil {
				return err
			}
		}
	}
	return Errorf(Unimplemented, "%s", rpc)
}

// readExactly reads n bytes from c.
func readExactly(t *testing.T, c net.Conn, n int) []byte {
	t.Helper()
	buf := make([]byte, n)
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatalf("reading %d bytes: %v", n, err)
	}
	return buf
}

func expectBytes(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Fatalf("%s:\n got %x\nwant %x", what, got, want)
	}
}

// TestGoldenServer plays the client's bytes of the three traces to our server and
// checks its replies byte for byte.
func TestGoldenServer(t *testing.T) { realTest(t, testGoldenServer) }

func testGoldenServer(t *testing.T) {
	cli, srv := net.Pipe()
	server := NewServer(HandlerFunc(goldenHandler), Options{})
	done := make(chan struct{})
	go func() { defer close(done); _ = server.ServeOne(context.Background(), srv) }()
	defer func() { cli.Close(); <-done }()
	for _, step := range []struct {
		name              string
		req, reply, after []byte
	}{
		{"unary with metadata", goldenUnaryRequest, goldenUnaryReply, goldenUnaryClose},
		{"unary with error", goldenErrorRequest, goldenErrorReply, nil},
		{"bidi", goldenBidiRequest, goldenBidiReply, nil},
	} {
		go cli.Write(step.req)
		expectBytes(t, step.name, readExactly(t, cli, len(step.reply)), step.reply)
		if step.after != nil {
			go cli.Write(step.after)
		}
	}
}

// TestGoldenClient answers our client with the server's bytes of the traces and checks
// the client's requests byte for byte.
func TestGoldenClient(t *testing.T) { realTest(t, testGoldenClient) }

func testGoldenClient(t *testing.T) {
	cli, srv := net.Pipe()
	c := NewClient(cli, Options{Runtime: sim.Real()})
	defer c.Close()
	type result struct {
		resp []byte
		err  error
	}
	res := make(chan result, 1)
	go func() {
		ctx := WithMetadata(context.Background(), "k", "v")
		resp, err := c.InvokeBytes(ctx, "/svc.Svc/Echo", []byte("hi"))
		res <- result{resp, err}
	}()
	expectBytes(t, "unary request", readExactly(t, srv, len(goldenUnaryRequest)), goldenUnaryRequest)
	go srv.Write(goldenUnaryReply)
	r := <-res
	if r.err != nil || string(r.resp) != "echo:hi md=v" {
		t.Fatalf("unary: %q %v", r.resp, r.err)
	}
	// The client may or may not send Close, depending on whether the server's CloseSend
	// arrived first: both are valid (§1.7). Then stream 2 starts.
	go func() {
		_, err := c.InvokeBytes(context.Background(), "/svc.Svc/Echo", []byte("fail"))
		res <- result{nil, err}
	}()
	got := readExactly(t, srv, len(goldenErrorRequest))
	if bytes.HasPrefix(got, goldenUnaryClose) {
		got = append(got[len(goldenUnaryClose):], readExactly(t, srv, len(goldenUnaryClose))...)
	}
	expectBytes(t, "error request", got, goldenErrorRequest)
	go srv.Write(goldenErrorReply)
	r = <-res
	if CodeOf(r.err) != PermissionDenied || !strings.Contains(r.err.Error(), "boom") {
		t.Fatalf("error call: %v", r.err)
	}
	s, err := c.NewStream(context.Background(), "/svc.Svc/Bidi")
	if err != nil {
		t.Fatal(err)
	}
	s.SendBytes([]byte("a"))
	s.SendBytes([]byte("b"))
	s.CloseSend()
	expectBytes(t, "bidi request", readExactly(t, srv, len(goldenBidiRequest)), goldenBidiRequest)
	go srv.Write(goldenBidiReply) // only now: frames for a stream the client has not opened are dropped
	for _, want := range []string{"a", "b"} {
		if m, err := s.RecvBytes(); err != nil || string(m) != want {
			t.Fatalf("bidi recv: %q %v", m, err)
		}
	}
	if _, err := s.RecvBytes(); err != io.EOF {
		t.Fatalf("bidi end: %v", err)
	}
}
