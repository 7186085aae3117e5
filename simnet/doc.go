// Package simnet provides simulated transports: in-memory connections that behave like
// net.Conn byte streams, where every read and write is a scheduling point, and a small
// network with Listen and Dial by address, driven by a fault plan drawn from the run's
// seed (DESIGN §5).
//
// Not built yet: this package is a placeholder in the layout until its issue lands.
package simnet
