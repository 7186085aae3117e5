//go:build race

package scheduler

import (
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync" // only for raceLog: the report file is the process's, read by every run's driver
	"unsafe"
)

// RaceEnabled reports whether the binary was built with -race.
const RaceEnabled = true

func raceDisable() { runtime.RaceDisable() }

// RaceDisable makes the race detector ignore the calling goroutine's synchronisation
// (its mutexes, channels and RaceAcquire/RaceRelease, not its memory accesses) until
// RaceEnable; they nest. A primitive built on others uses it to hide their edges and
// declare its own, the ones the primitive it models makes.
func RaceDisable() { runtime.RaceDisable() }

// RaceEnable: see RaceDisable.
func RaceEnable() { runtime.RaceEnable() }

// RaceRead and RaceWrite report an access to addr, as the compiler's instrumentation
// would: sync.WaitGroup models "Add from zero concurrent with Wait" as a race between
// them this way.
func RaceRead(addr unsafe.Pointer) { runtime.RaceRead(addr) }

// RaceWrite: see RaceRead.
func RaceWrite(addr unsafe.Pointer) { runtime.RaceWrite(addr) }

// RaceErrors is how many data races the race detector has reported in this process; a
// run that raises it had a race. Without -race it is 0.
func RaceErrors() int { return runtime.RaceErrors() }
func raceEnable()     { runtime.RaceEnable() }

// RaceAcquire and RaceRelease declare a happens-before edge to the race detector: every
// memory access before a RaceRelease(addr) happens before every access after a later
// RaceAcquire(addr). Primitives built on the scheduler call them where the real primitive
// would synchronise (Unlock → Lock, Fire → Wait), because the race-preserving baton hides
// the handoffs between tasks from the detector. Without -race they compile to nothing.
func RaceAcquire(addr unsafe.Pointer) { runtime.RaceAcquire(addr) }

// RaceRelease: see RaceAcquire.
func RaceRelease(addr unsafe.Pointer) { runtime.RaceRelease(addr) }

// RaceReleaseMerge is RaceRelease that also keeps the edges of earlier releases on addr
// (a plain release replaces them): for joins, where many tasks release one address.
func RaceReleaseMerge(addr unsafe.Pointer) { runtime.RaceReleaseMerge(addr) }

// raceLog is where the race detector writes its reports when GORACE sets log_path (to
// the file log_path.PID), and how much of it earlier failures have shown.
var raceLog struct {
	//simvet:allow sync the report file is the process's, read outside any run's schedule
	mu   sync.Mutex
	read int64
}

// raceReportMax bounds the report text a failure carries: the first reports of a run
// that races in a loop are the ones to read.
const raceReportMax = 16 << 10

// raceReport is the race detector's text written since the last call, when GORACE's
// log_path names a file; else a pointer to standard error, where the reports went.
func raceReport() string {
	path := ""
	for _, f := range strings.Fields(os.Getenv("GORACE")) {
		if v, ok := strings.CutPrefix(f, "log_path="); ok {
			path = v
		}
	}
	if path == "" || path == "stdout" || path == "stderr" {
		return "(the race detector's report is on standard error, above this verdict)"
	}
	raceLog.mu.Lock()
	defer raceLog.mu.Unlock()
	f, err := os.Open(path + "." + strconv.Itoa(os.Getpid()))
	if err != nil {
		return "(the race detector's report: " + err.Error() + ")"
	}
	defer f.Close()
	b, err := io.ReadAll(io.NewSectionReader(f, raceLog.read, 1<<62))
	if err != nil {
		return "(the race detector's report: " + err.Error() + ")"
	}
	raceLog.read += int64(len(b))
	if len(b) > raceReportMax {
		return string(b[:raceReportMax]) + "\n... (" + strconv.Itoa(len(b)-raceReportMax) + " more bytes in " + f.Name() + ")"
	}
	return string(b)
}
