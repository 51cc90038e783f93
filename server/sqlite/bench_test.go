package sqlite_test

import (
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
	"github.com/heyan-dev/heyan/server/sqlite"
)

// BenchmarkRecords is the store's share of the load benchmark's sync
// request: ten changes of 1 KiB out of 500.
func BenchmarkRecords(b *testing.B) {
	db, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "heyan.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	a := &server.Account{ID: "a1", Email: "a@example.test", AuthSalt: []byte{1}, AuthHash: []byte{2},
		KDF: server.AccountKDF([]byte{3}), WrappedKey: []byte{4}, Stamp: 1, CreatedAt: now}
	if err := db.CreateAccount(b.Context(), a); err != nil {
		b.Fatal(err)
	}
	for i := range 500 {
		if _, err := db.WriteRecord(b.Context(), server.RecordWrite{AccountID: a.ID, ID: fmt.Sprintf("seed-%d", i), Create: true, Data: make([]byte, 1024), Now: now}); err != nil {
			b.Fatal(err)
		}
	}
	defer cpuPerOp(b)()
	for b.Loop() {
		page, err := db.Records(b.Context(), server.PageRequest{AccountID: a.ID, Since: 490, Limit: server.DefaultPageSize, MaxBytes: server.DefaultPageBytes})
		if err != nil || len(page.Records) != 10 {
			b.Fatal(len(page.Records), err)
		}
	}
}

// cpuPerOp reports the process's CPU time (user and system) per
// iteration as cpu-ns/op: on a shared machine it moves far less than
// ns/op, which counts the time other processes hold the CPUs too.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
