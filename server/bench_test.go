package server_test

import (
	"fmt"
	"net/http"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// The benchmarks behind docs/PERFORMANCE.md's profiles: the load
// benchmark's ceiling and sync requests, in process, through the real
// router and middleware over SQLite (go test -bench . -cpuprofile).
// scripts/bench-server measures the same requests from outside.

func BenchmarkCeiling(b *testing.B) {
	h := newHarness(b)
	_, g := h.register()
	req := request{method: "GET", path: "/api/v1/sessions/current", token: g.AccessToken}
	defer cpuPerOp(b)()
	for b.Loop() {
		if r := h.do(req); r.status != http.StatusOK {
			b.Fatal(r.status)
		}
	}
}

// BenchmarkSync reads ten changes of 1 KiB, as the load benchmark's sync.
func BenchmarkSync(b *testing.B) {
	h := newHarness(b)
	_, g := h.register()
	for i := range 500 {
		if r := h.do(create(g.AccessToken, fmt.Sprintf("seed-%d", i), randBytes(1024))); r.status != http.StatusCreated {
			b.Fatal(r.status)
		}
	}
	req := request{method: "GET", path: "/api/v1/records?since=" + strconv.Itoa(490), token: g.AccessToken}
	defer cpuPerOp(b)()
	for b.Loop() {
		if r := h.do(req); r.status != http.StatusOK {
			b.Fatal(r.status)
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
