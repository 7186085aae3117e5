// Package simnet provides simulated transports: in-memory connections that behave like
// TCP net.Conns, and a small network with Listen and Dial by address, for code written
// against the sim runtime.
//
// # Contract
//
//  1. A Conn is a net.Conn: in-order delivery, nothing lost while healthy, reads that
//     block until bytes arrive, io.EOF after the peer closes (or half-closes with
//     CloseWrite), deadlines on the runtime's clock that fail with a timeout error
//     (errors.Is(err, os.ErrDeadlineExceeded), net.Error.Timeout()) even when bytes are
//     buffered (they stay for the next read), Close that unblocks every pending operation
//     with net.ErrClosed and makes later operations, SetDeadline included, fail with it,
//     Read and Write safe from different tasks.
//     Errors come wrapped in *net.OpError, as the net package's do.
//  2. Under simulation every operation is a scheduling point, time is virtual, and every
//     fault that fires is a note in the trace. Under the real runtime the same code works on
//     goroutines and the wall clock.
//  3. A Plan decides how bytes travel and what breaks: latency, jitter and bandwidth;
//     reads split at arbitrary byte boundaries or coalesced across writes; writes and reads
//     that fail with ErrReset; an end that closes once its last write is read; a direction
//     that clogs for a while; the per-direction buffer beyond which writers block. Each
//     direction draws its faults from its own stream, named after the connection, so a
//     run is a function of its seed. RandomPlan draws a plan with swarm testing (each fault
//     kind on or off per plan).
//  4. A Network routes Dial to Listen by "host:port": unknown addresses and full backlogs
//     refuse, partitions hold bytes in flight and block dials until healed.
package simnet

//simvet:simulated
