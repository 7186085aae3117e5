// Package allowed runs under the simulator and keeps to the rules, or allows a reviewed
// exception with a reason: nothing here is reported.
package allowed

//simvet:simulated
