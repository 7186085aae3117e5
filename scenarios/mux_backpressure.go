package scenarios

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/sim"
)

func init() {
	register(&Scenario{
		Name: "mux-cancel-backpressure", Real: true,
		Doc: "A client cancels a server-stream flood it reads slowly while its writer is full of " +
			"bulk data that waits for the server's credit: the cancel must not hold the flood " +
			"stream while it waits for room, or the reader, delivering the flood's next frame, " +
			"stalls before the window update that would free the writer (DRPC B9).",
		Body: cancelBackpressure,
	})
}

// Sizes of cancelBackpressure: the bulk stream sends more than its window and the writer
// hold together, so its data waits for credit while the writer is full.
const (
	backpressureWriterMax = 32 << 10
	backpressureWindow    = 64 << 10
	backpressureBulk      = 6 // messages of backpressureBulkSize on the bulk stream
	// backpressureBulkSize makes one encoded message exactly a window (a 1-byte tag and a
	// 3-byte length precede the string), so a message queued after the window is spent
	// waits whole, and a writer holding it is full.
	backpressureBulkSize = backpressureWindow - 4
	backpressureFlood    = 64 // messages of 4 KiB on the flood stream
)

func cancelBackpressure(rt *sim.Runtime) {
	client, _, done := muxPair(rt, quietPlan(rt),
		mux.Options{WriterBufferMax: backpressureWriterMax, StreamWindow: backpressureWindow})
	defer done()
	r := rt.Rand("backpressure")
	g := rt.NewGroup("streams")
	bulk, err := client.NewStream(context.Background(), "/svc/Bidi")
	if err != nil {
		rt.Fail("bulk: " + err.Error())
		return
	}
	// The bulk stream's fourth message is queued once the server's handler sits on an echo
	// nobody reads and the third fills its receive window: from then on the client's
	// writer is full of data that waits for credit. The flood is read and cancelled in that state,
	// and the bulk echoes are read after a seeded pause.
	starved := rt.NewEvent("bulk writer full")
	g.Go("bulk-send", func() {
		payload := bytes.Repeat([]byte{'b'}, backpressureBulkSize)
		for i := range backpressureBulk {
			if i == 3 {
				starved.Fire()
			}
			err := bulk.Send(wrapperspb.String(string(payload)))
			rt.Always(err == nil, fmt.Sprintf("bulk send %d: %v", i, err))
		}
		bulk.CloseSend()
	})
	readAfter := sim.Micros(r.IntN(2000))
	g.Go("bulk-recv", func() {
		_ = rt.Wait(context.Background(), starved)
		_ = rt.Sleep(context.Background(), readAfter)
		var out wrapperspb.StringValue
		for i := range backpressureBulk {
			err := bulk.Recv(&out)
			rt.Always(err == nil && len(out.Value) == backpressureBulkSize, fmt.Sprintf("bulk echo %d: %v", i, err))
		}
		rt.Always(bulk.Recv(&out) == io.EOF, "bulk: more echoes than messages")
	})
	floodRead(rt, client, starved, r.IntN(8))
	g.Wait()
}

// floodRead opens a flood of backpressureFlood messages, reads it slowly once start has
// fired, and cancels it after cancelAfter messages: the reader must then see Canceled,
// never a hang or a message out of order.
func floodRead(rt *sim.Runtime, client *mux.Client, start *sim.Event, cancelAfter int) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	flood, err := client.NewStream(ctx, "/svc/Flood")
	if err == nil {
		err = flood.Send(wrapperspb.Int64(backpressureFlood))
	}
	if err != nil {
		rt.Fail("flood: " + err.Error())
		return
	}
	flood.CloseSend()
	_ = rt.Wait(context.Background(), start)
	var m wrapperspb.BytesValue
	for i := range backpressureFlood {
		if i == cancelAfter {
			cancel()
		}
		_ = rt.Sleep(context.Background(), sim.Micros(50))
		err := flood.Recv(&m)
		if err != nil {
			rt.Always(i >= cancelAfter && mux.CodeOf(err) == mux.Canceled,
				fmt.Sprintf("flood message %d (cancel after %d): %v", i, cancelAfter, err))
			return
		}
		rt.Always(bytes.Equal(m.Value, floodMessage(i)), fmt.Sprintf("flood message %d arrived corrupted", i))
	}
	rt.Always(cancelAfter >= backpressureFlood, "the flood outlived its cancel")
}
