// Command mysim is this module's own simrun: muxsim's command over the shop's scenarios.
package main

import (
	"os"

	"example.com/usermod/shop"
	"github.com/muxsim/muxsim/sim/simcli"
)

func main() {
	os.Exit(simcli.Main(simcli.Config{Catalog: shop.Catalog, Name: "mysim"}))
}
