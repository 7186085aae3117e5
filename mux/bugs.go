package mux

// Bug is a known bug of the cockroachdb/drpc multiplexing branch (reference/drpc.md §4)
// that a build with the muxbugs tag can switch back on, to measure how quickly the
// simulator finds it (DESIGN §7). In other builds every switch is the constant false, so
// production code cannot contain them.
type Bug uint8

// The known bugs.
const (
	BugNone    Bug = iota
	BugB1          // cancel slips between InvokeMetadata and Invoke; the server keeps the pending invoke
	BugB2          // the writer's error path waits for the writer to exit
	BugB3          // a cancelled unary call returns io.EOF instead of Canceled
	BugB4Slot      // a single-slot receive queue: the reader waits for a slow consumer
	BugB4Alias     // a non-copying receive queue: queued messages alias the reader's buffer
	BugB6          // concurrent unary calls share one marshal buffer
	BugB7          // a new stream resets the shared writer: other streams' frames vanish
	BugB8          // asynchronous termination: streams outlive the connection's death
	BugB9          // a cancel holds the stream's lock while it waits for the writer
	BugB12         // Close drops frames the writer accepted
	bugCount
)

// BugInfo names and explains a known bug.
type BugInfo struct {
	Bug  Bug
	Name string
	Doc  string
}

var bugInfos = [bugCount]BugInfo{
	{BugNone, "none", ""},
	{BugB1, "B1", "cancel slips between InvokeMetadata and Invoke: the server keeps a pending invoke forever"},
	{BugB2, "B2", "the writer's error path stops the writer and waits for it to exit: it waits for itself"},
	{BugB3, "B3", "a cancelled unary call returns io.EOF instead of Canceled"},
	{BugB4Slot, "B4-slot", "a single-slot receive queue: the reader waits for a slow consumer and stalls every stream"},
	{BugB4Alias, "B4-alias", "a non-copying receive queue: a queued message aliases the reader's buffer, which is reused"},
	{BugB6, "B6", "concurrent unary calls marshal into one shared buffer: cross-talk"},
	{BugB7, "B7", "a new stream resets the shared writer: other streams' queued frames vanish"},
	{BugB8, "B8", "asynchronous termination: streams are ended after terminate returns"},
	{BugB9, "B9", "a cancel holds the stream's lock while it waits for room in the writer: the reader stalls"},
	{BugB12, "B12", "Close aborts the writer: frames it accepted, a handler's last messages, are dropped"},
}

// Bugs lists the known bugs (without BugNone).
func Bugs() []BugInfo { return bugInfos[1:] }
