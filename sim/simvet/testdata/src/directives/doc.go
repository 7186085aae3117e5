// Package directives runs under the simulator and gets its directives wrong.
package directives

//simvet:simulated
