// A receive from a nil channel blocks forever.
package nilblock

import "testing"

func TestNilBlock(t *testing.T) {
	var c chan int
	<-c
	t.Fatal("received from a nil channel")
}
