package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// The client side of each RPC, shared by the benchmarks and the tests. Each returns an
// error for any reply that is not exactly what the service promises.

// unaryOnce calls Unary with in (tagged with i) and checks the echo in out.
func unaryOnce(ctx context.Context, cl client, in, out *msg, i int) error {
	tag(in.Value, i)
	if err := cl.unary(ctx, in, out); err != nil {
		return err
	}
	if !bytes.Equal(out.Value, in.Value) {
		return fmt.Errorf("unary %d: echo of %d bytes differs (got %d bytes)", i, len(in.Value), len(out.Value))
	}
	return nil
}

// unaryLoop makes n sequential unary calls of size bytes.
func unaryLoop(ctx context.Context, cl client, n, size int) error {
	in, out := &msg{Value: make([]byte, size)}, new(msg)
	for i := range n {
		if err := unaryOnce(ctx, cl, in, out, i); err != nil {
			return err
		}
	}
	return nil
}

// connsFor is how many connections callers need on st: one, or one per caller when a
// connection carries one RPC at a time.
func connsFor(st stack, callers int) int {
	if st.streamsPerConnMax == 0 || st.streamsPerConnMax >= callers {
		return 1
	}
	return (callers + st.streamsPerConnMax - 1) / st.streamsPerConnMax
}

// concurrentUnary makes n small unary calls from callers goroutines, caller i on
// clients[i%len(clients)], and returns the first failure.
func concurrentUnary(clients []client, callers, n int) error {
	var (
		next     atomic.Int64
		failed   atomic.Bool
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	for w := range callers {
		cl := clients[w%len(clients)]
		wg.Go(func() {
			ctx := context.Background()
			in, out := &msg{Value: make([]byte, smallBytes)}, new(msg)
			for !failed.Load() {
				i := int(next.Add(1))
				if i > n {
					return
				}
				if err := unaryOnce(ctx, cl, in, out, i); err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("caller %d: %w", w, err) })
					failed.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}

// clientStream sends n tagged messages of size bytes on one ClientStream RPC.
func clientStream(ctx context.Context, cl client, n, size int) error {
	s, err := cl.newStream(ctx, rpcClientStream)
	if err != nil {
		return err
	}
	defer s.close()
	m := &msg{Value: make([]byte, size)}
	for i := range n {
		tag(m.Value, i)
		if err := s.send(m); err != nil {
			return fmt.Errorf("send %d: %w", i, err)
		}
	}
	if err := s.closeSend(); err != nil {
		return err
	}
	resp := new(msg)
	if err := s.recv(resp); err != nil {
		return fmt.Errorf("response: %w", err)
	}
	gotN, gotBytes, err := parseCounts(resp)
	if err != nil {
		return err
	}
	if gotN != n || gotBytes != n*size {
		return fmt.Errorf("server counted %d messages, %d bytes; sent %d, %d", gotN, gotBytes, n, n*size)
	}
	return nil
}

// serverStream asks for n tagged messages of size bytes on one ServerStream RPC and
// checks each of them and the clean end of the stream.
func serverStream(ctx context.Context, cl client, n, size int) error {
	s, err := cl.newStream(ctx, rpcServerStream)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.send(counts(n, size)); err != nil {
		return err
	}
	if err := s.closeSend(); err != nil {
		return err
	}
	m := new(msg)
	for i := range n {
		if err := s.recv(m); err != nil {
			return fmt.Errorf("recv %d: %w", i, err)
		}
		if err := checkTag(m.Value, i, size); err != nil {
			return err
		}
	}
	if err := s.recv(m); err != io.EOF {
		return fmt.Errorf("after %d messages: got %v, want io.EOF", n, err)
	}
	return nil
}

// bidi makes n ping-pongs of size-byte messages on one Bidi RPC.
func bidi(ctx context.Context, cl client, n, size int) error {
	s, err := cl.newStream(ctx, rpcBidi)
	if err != nil {
		return err
	}
	defer s.close()
	in, out := &msg{Value: make([]byte, size)}, new(msg)
	for i := range n {
		tag(in.Value, i)
		if err := s.send(in); err != nil {
			return fmt.Errorf("send %d: %w", i, err)
		}
		if err := s.recv(out); err != nil {
			return fmt.Errorf("recv %d: %w", i, err)
		}
		if !bytes.Equal(out.Value, in.Value) {
			return fmt.Errorf("bidi %d: echo differs", i)
		}
	}
	if err := s.closeSend(); err != nil {
		return err
	}
	if err := s.recv(out); err != io.EOF {
		return fmt.Errorf("after %d echoes: got %v, want io.EOF", n, err)
	}
	return nil
}
