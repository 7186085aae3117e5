package runfile

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseSeeds: seed lists read as ranges in the order given, Each visits every seed
// once, Count counts them, and FormatSeeds writes the list back in its shortest form.
func TestParseSeeds(t *testing.T) {
	spans, err := ParseSeeds("1-3,7,10-11")
	if err != nil {
		t.Fatal(err)
	}
	var got []uint64
	Each(spans, func(s uint64) bool { got = append(got, s); return true })
	if fmt.Sprint(got) != "[1 2 3 7 10 11]" || Count(spans) != 6 {
		t.Fatalf("got %v (count %d)", got, Count(spans))
	}
	for in, want := range map[string]string{"1-1000,4242": "1-1000,4242", "7": "7", " 3 , 5-5": "3,5"} {
		spans, err := ParseSeeds(in)
		if err != nil || FormatSeeds(spans) != want {
			t.Errorf("ParseSeeds(%q) = %v (%v), want %s", in, FormatSeeds(spans), err, want)
		}
	}
}

// TestParseSeedsRejects: each malformed or oversized list is an error that says what is
// wrong with it. The span 0-(2^64-1) holds 2^64 seeds, a count that wraps to 0 in uint64.
func TestParseSeedsRejects(t *testing.T) {
	for bad, want := range map[string]string{
		"":                       "empty element",
		"a":                      "bad seed",
		"1-":                     "bad seed",
		"-3":                     "bad seed",
		"1-x":                    "bad seed",
		"3-1":                    "runs backwards",
		"1,,2":                   "empty element",
		"0-200000000":            "more than",
		"1-60000000,1-60000000":  "more than",
		"0-18446744073709551615": "more than",
	} {
		if _, err := ParseSeeds(bad); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSeeds(%q) = %v, want an error saying %q", bad, err, want)
		}
	}
}

// TestEachStops: Each stops at the first false, and reaches the largest seed without
// wrapping around.
func TestEachStops(t *testing.T) {
	var got []uint64
	Each([]Span{{Lo: 5, Hi: 9}, {Lo: 1, Hi: 1}}, func(s uint64) bool { got = append(got, s); return s < 7 })
	if fmt.Sprint(got) != "[5 6 7]" {
		t.Errorf("got %v, want [5 6 7]", got)
	}
	got = nil
	Each([]Span{{Lo: 1<<64 - 2, Hi: 1<<64 - 1}}, func(s uint64) bool { got = append(got, s); return true })
	if len(got) != 2 {
		t.Errorf("the top two seeds: got %v", got)
	}
}
