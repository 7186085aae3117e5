// Package bad runs under the simulator and breaks every rule once.
package bad

//simvet:simulated
