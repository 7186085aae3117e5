package directives

import "time"

// An allow without a reason is reported and suppresses nothing.
func noReason(f func()) {
	// want +1 `simvet\(directive\): //simvet:allow go needs a reason`
	//simvet:allow go
	go f() // want `simvet\(go\): bare go statement`
}

// An allow for another rule does not cover the finding.
func wrongRule() time.Time {
	// want +1 `simvet\(directive\): //simvet:allow go suppresses nothing`
	//simvet:allow go the rule is time, not go
	return time.Now() // want `simvet\(time\): time.Now`
}

// want +1 `simvet\(directive\): //simvet:allow needs a rule: go, select, sync, time, rand, maprange, gosched or printfp; got "goroutine"`
//simvet:allow goroutine misspelt rule

// want +1 `simvet\(directive\): //simvet:allow needs a rule.*got ""`
//simvet:allow

// want +2 `simvet\(directive\): //simvet:allow time suppresses nothing on this line or the next`
//
//simvet:allow time nothing below reads the clock
var zero time.Duration

// want +1 `simvet\(directive\): unknown directive "//simvet:ignore go"`
//simvet:ignore go
