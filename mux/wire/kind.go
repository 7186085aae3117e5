package wire

import "strconv"

// Kind is the type of a frame and of the packet it belongs to: six bits of the header.
type Kind uint8

// The kinds storj.io/drpc v1.0.0 defines. Kind 0 is reserved.
const (
	// KindInvoke starts an RPC; its data is the RPC name, e.g. "/pkg.Service/Method".
	KindInvoke Kind = 1
	// KindMessage carries one encoded message; empty data is legal.
	KindMessage Kind = 2
	// KindError ends the stream with an error; its data is ErrorData.
	KindError Kind = 3
	// KindCancel cancels the stream softly. Its data is empty and it is always sent with the
	// control bit (header 0x89), so peers that predate it ignore it.
	KindCancel Kind = 4
	// KindClose ends the stream; its data is empty.
	KindClose Kind = 5
	// KindCloseSend says the sender will send no more messages; its data is empty.
	KindCloseSend Kind = 6
	// KindInvokeMetadata precedes an Invoke on the same stream; its data is metadata
	// entries (AppendMetadata).
	KindInvokeMetadata Kind = 7
)

// KindMax is the largest kind the six header bits can hold.
const KindMax Kind = 63

// String returns the kind's name, or "Kind(n)" for a kind this package does not define.
func (k Kind) String() string {
	switch k {
	case KindInvoke:
		return "Invoke"
	case KindMessage:
		return "Message"
	case KindError:
		return "Error"
	case KindCancel:
		return "Cancel"
	case KindClose:
		return "Close"
	case KindCloseSend:
		return "CloseSend"
	case KindInvokeMetadata:
		return "InvokeMetadata"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Known reports whether k is one of the kinds defined above. A finished packet of an
// unknown kind is ignored if it carries the control bit and is a protocol error otherwise.
func (k Kind) Known() bool { return k >= KindInvoke && k <= KindInvokeMetadata }

// alwaysControl reports whether packets of kind k are sent with the control bit whatever
// the sender asked: storj sends Cancel that way so that older peers ignore it.
func (k Kind) alwaysControl() bool { return k == KindCancel }
