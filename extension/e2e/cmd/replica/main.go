// Command replica serves the MIIT page replica on its own, for browser tests
// that are not Go (the Firefox test, extension/e2e/firefox/): over TLS on a
// free local port, for the hosts beian.miit.gov.cn and hlwicpfwc.miit.gov.cn,
// which the browser maps to 127.0.0.1. It prints {"port": N} once it
// listens, then reads one JSON command a line on stdin and answers each with
// one JSON line on stdout; the one command queues the API's next answers for
// a phone, as the Go tests' Replica.Script does:
//
//	{"script": {"phone": "13800138000", "answers": [{"Status": 2}]}}  → {"ok": true}
//
// It stops when stdin closes. Run from the repository's root:
//
//	go run ./extension/e2e/cmd/replica
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"os"

	"github.com/heyan-dev/heyan/extension/e2e"
)

// command is one line of stdin.
type command struct {
	Script *struct {
		Phone   string       `json:"phone"`
		Answers []e2e.Answer `json:"answers"`
	} `json:"script"`
}

func main() {
	replica := e2e.NewReplica("extension/e2e/replica", "extension/tools/node_modules")
	srv := httptest.NewUnstartedServer(replica)
	srv.StartTLS() // its own self-signed certificate: the browser is told to accept it
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	out := json.NewEncoder(os.Stdout)
	out.Encode(map[string]string{"port": port})
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var c command
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			out.Encode(map[string]string{"error": err.Error()})
			continue
		}
		if c.Script == nil {
			out.Encode(map[string]string{"error": fmt.Sprintf("unknown command %s", in.Bytes())})
			continue
		}
		replica.Script(c.Script.Phone, c.Script.Answers...)
		out.Encode(map[string]bool{"ok": true})
	}
}
