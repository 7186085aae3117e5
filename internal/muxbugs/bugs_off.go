//go:build !muxbugs

package muxbugs

import "errors"

// Compiled reports whether this build can switch known bugs on (the muxbugs tag).
const Compiled = false

// Enable fails: known bugs exist only in builds with the muxbugs tag.
func Enable(name string) error {
	if name == "none" {
		return nil
	}
	return errors.New("known bugs need a build with -tags muxbugs")
}

// On is always false here: every bug switch compiles away.
func On(Bug) bool { return false }
