// Package muxbugs holds the switches of the engine's known bugs. It is internal so that
// no user of mux can reach them.
package muxbugs

// Bug is a known bug of the cockroachdb/drpc multiplexing branch (reference/drpc.md §4)
// that a build with the muxbugs tag can switch back on, to measure how quickly the
// simulator finds it (DESIGN §7). In other builds every switch is the constant false, so
// production code cannot contain them.
type Bug uint8

// The known bugs.
const (
	None    Bug = iota
	B1          // cancel slips between InvokeMetadata and Invoke; the server keeps the pending invoke
	B2          // the writer's error path waits for the writer to exit
	B3          // a cancelled unary call returns io.EOF instead of Canceled
	B4Slot      // a single-slot receive queue: the reader waits for a slow consumer
	B4Alias     // a non-copying receive queue: queued messages alias the reader's buffer
	B6          // concurrent unary calls share one marshal buffer
	B7          // a new stream resets the shared writer: other streams' frames vanish
	B8          // asynchronous termination: streams outlive the connection's death
	B9          // a cancel holds the stream's lock while it waits for the writer
	B12         // Close drops frames the writer accepted
	bugCount
)

// Info names and explains a known bug.
type Info struct {
	Bug  Bug
	Name string
	Doc  string
}

var bugInfos = [bugCount]Info{
	{None, "none", ""},
	{B1, "B1", "cancel slips between InvokeMetadata and Invoke: the server keeps a pending invoke forever"},
	{B2, "B2", "the writer's error path stops the writer and waits for it to exit: it waits for itself"},
	{B3, "B3", "a cancelled unary call returns io.EOF instead of Canceled"},
	{B4Slot, "B4-slot", "a single-slot receive queue: the reader waits for a slow consumer and stalls every stream"},
	{B4Alias, "B4-alias", "a non-copying receive queue: a queued message aliases the reader's buffer, which is reused"},
	{B6, "B6", "concurrent unary calls marshal into one shared buffer: cross-talk"},
	{B7, "B7", "a new stream resets the shared writer: other streams' queued frames vanish"},
	{B8, "B8", "asynchronous termination: streams are ended after terminate returns"},
	{B9, "B9", "a cancel holds the stream's lock while it waits for room in the writer: the reader stalls"},
	{B12, "B12", "Close aborts the writer: frames it accepted, a handler's last messages, are dropped"},
}

// All lists the known bugs (without None).
func All() []Info { return bugInfos[1:] }
