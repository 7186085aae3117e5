// Package misspelt meant to opt in but misspelt the marker: the misspelling is reported,
// the package is not checked.
package misspelt

// want +1 `simvet\(directive\): unknown directive "//simvet:simulate"`
//simvet:simulate

func spawn(f func()) {
	go f()
}
