package wire

import "testing"

// TestKindNames checks the kind values and names against the reference's table, and which
// kinds count as known.
func TestKindNames(t *testing.T) {
	for _, tc := range []struct {
		k     Kind
		value uint8
		name  string
		known bool
	}{
		{0, 0, "Kind(0)", false},
		{KindInvoke, 1, "Invoke", true},
		{KindMessage, 2, "Message", true},
		{KindError, 3, "Error", true},
		{KindCancel, 4, "Cancel", true},
		{KindClose, 5, "Close", true},
		{KindCloseSend, 6, "CloseSend", true},
		{KindInvokeMetadata, 7, "InvokeMetadata", true},
		{8, 8, "Kind(8)", false},
		{KindMax, 63, "Kind(63)", false},
	} {
		if uint8(tc.k) != tc.value || tc.k.String() != tc.name || tc.k.Known() != tc.known {
			t.Errorf("kind %d: value %d, String %q, Known %t; want %d, %q, %t",
				tc.value, uint8(tc.k), tc.k, tc.k.Known(), tc.value, tc.name, tc.known)
		}
	}
}

// TestIDOrder checks that IDs order by stream, then message, as storj's ID.Less does.
func TestIDOrder(t *testing.T) {
	for _, tc := range []struct {
		a, b ID
		less bool
	}{
		{id(1, 1), id(1, 2), true},
		{id(1, 2), id(1, 1), false},
		{id(1, 9), id(2, 1), true},
		{id(2, 1), id(1, 9), false},
		{id(1, 1), id(1, 1), false},
	} {
		if got := tc.a.Less(tc.b); got != tc.less {
			t.Errorf("%v.Less(%v) = %t, want %t", tc.a, tc.b, got, tc.less)
		}
	}
	if s := id(3, 4).String(); s != "<id s:3 m:4>" {
		t.Errorf("String() = %q", s)
	}
}
