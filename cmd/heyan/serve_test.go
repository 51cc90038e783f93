package main

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
)

func TestMain(m *testing.M) {
	// The durability tests run the server as a separate process: this test
	// binary, re-executed with this variable set, is `heyan serve`.
	if os.Getenv("HEYAN_TEST_CHILD_SERVE") == "1" {
		os.Exit(serveCommand(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestParseServeConfigDefaults(t *testing.T) {
	cfg, err := parseServeConfig(nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := serveConfig{
		Addr: "127.0.0.1:8080", DatabaseURL: "sqlite:./data/heyan.db", Issuer: "heyan", Audience: "heyan-sync",
		RequestTimeout: 10 * time.Second, ShutdownTimeout: 20 * time.Second,
		AccountLimit: server.Limit{Attempts: 10, Window: 15 * time.Minute}, AddressLimit: server.Limit{Attempts: 50, Window: 15 * time.Minute},
		RefreshTTL: 720 * time.Hour, TombstoneRetention: 2160 * time.Hour, Quota: server.Quota{Records: 10000, Bytes: 16 << 20}, LogFormat: "text",
	}
	if sprint(cfg) != sprint(want) {
		t.Errorf("defaults:\n got %s\nwant %s", sprint(cfg), sprint(want))
	}
	// The defaults are the server package's, not a second copy.
	fromServer := serveConfig{
		Addr: cfg.Addr, DatabaseURL: cfg.DatabaseURL, Issuer: server.DefaultIssuer, Audience: server.DefaultAudience,
		RequestTimeout: server.DefaultRequestTimeout, ShutdownTimeout: server.DefaultShutdownTimeout,
		AccountLimit: server.DefaultAccountLimit, AddressLimit: server.DefaultAddressLimit,
		RefreshTTL: server.DefaultRefreshTTL, TombstoneRetention: server.DefaultTombstoneRetention, Quota: server.DefaultQuota, LogFormat: cfg.LogFormat,
	}
	if sprint(cfg) != sprint(fromServer) {
		t.Errorf("defaults differ from the server package's:\n got %s\nwant %s", sprint(cfg), sprint(fromServer))
	}
}

func TestFormatDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{10 * time.Second, "10s"}, {20 * time.Second, "20s"}, {15 * time.Minute, "15m"}, {720 * time.Hour, "720h"},
		{90 * time.Minute, "90m"}, {1500 * time.Millisecond, "1.5s"}, {0, "0s"},
	} {
		if got := formatDuration(tc.d); got != tc.want {
			t.Errorf("formatDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
		if tc.d > 0 {
			if back, err := time.ParseDuration(formatDuration(tc.d)); err != nil || back != tc.d {
				t.Errorf("formatDuration(%v) = %q reads back as %v, %v", tc.d, formatDuration(tc.d), back, err)
			}
		}
	}
}

func sprint(c serveConfig) string {
	var b strings.Builder
	for _, x := range []any{c.Addr, c.DatabaseURL, c.DataDir, c.SigningKeyFile, string(c.SigningKey), c.VerifyKeyFiles, string(c.Secret), c.SecretFile,
		c.AllowedOrigins, c.TrustedProxies, c.Issuer, c.Audience, c.RequestTimeout, c.ShutdownTimeout, c.AccountLimit, c.AddressLimit,
		c.RefreshTTL, c.TombstoneRetention, c.Quota, c.LogFormat, c.LogLevel} {
		fmt.Fprintf(&b, "%v", x)
		b.WriteString("|")
	}
	return b.String()
}

func TestParseServeConfig(t *testing.T) {
	dir := t.TempDir()
	dbFile := filepath.Join(dir, "db-url")
	os.WriteFile(dbFile, []byte("postgres://u:p@db/heyan\n"), 0o600)
	const chrome = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
	const firefox = "moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(serveConfig) bool
		wantErr string
	}{
		{name: "variable", env: map[string]string{"HEYAN_ADDR": ":9000"}, check: func(c serveConfig) bool { return c.Addr == ":9000" }},
		{name: "flag beats variable", args: []string{"--addr", ":9001"}, env: map[string]string{"HEYAN_ADDR": ":9000"}, check: func(c serveConfig) bool { return c.Addr == ":9001" }},
		{name: "database URL from a _FILE", env: map[string]string{"HEYAN_DATABASE_URL_FILE": dbFile}, check: func(c serveConfig) bool {
			return c.DatabaseURL == "postgres://u:p@db/heyan" && c.DatabaseURLFile == dbFile
		}},
		{name: "database URL and its _FILE", env: map[string]string{"HEYAN_DATABASE_URL": "sqlite:x", "HEYAN_DATABASE_URL_FILE": dbFile}, wantErr: "not both"},
		{name: "missing _FILE", env: map[string]string{"HEYAN_DATABASE_URL_FILE": filepath.Join(dir, "nope")}, wantErr: "HEYAN_DATABASE_URL_FILE"},
		{name: "signing key inline", env: map[string]string{"HEYAN_SIGNING_KEY": "abc"}, check: func(c serveConfig) bool { return string(c.SigningKey) == "abc" }},
		{name: "signing key inline and as a file", env: map[string]string{"HEYAN_SIGNING_KEY": "abc", "HEYAN_SIGNING_KEY_FILE": "/k"}, wantErr: "HEYAN_SIGNING_KEY is set as well"},
		{name: "secret inline", env: map[string]string{"HEYAN_SECRET": "s"}, check: func(c serveConfig) bool { return string(c.Secret) == "s" }},
		{name: "origins from a list variable", env: map[string]string{"HEYAN_ALLOWED_ORIGINS": chrome + ", " + firefox}, check: func(c serveConfig) bool { return len(c.AllowedOrigins) == 2 && c.AllowedOrigins[1] == firefox }},
		{name: "origins from repeated flags", args: []string{"--allowed-origin", chrome, "--allowed-origin", firefox}, check: func(c serveConfig) bool { return len(c.AllowedOrigins) == 2 }},
		{name: "wildcard origin", args: []string{"--allowed-origin", "*"}, wantErr: "allowed origin"},
		{name: "web origin", env: map[string]string{"HEYAN_ALLOWED_ORIGINS": "https://example.com"}, wantErr: "allowed origin"},
		{name: "trusted proxies", env: map[string]string{"HEYAN_TRUSTED_PROXIES": "10.0.0.0/8,192.0.2.7,::1"}, check: func(c serveConfig) bool {
			return len(c.TrustedProxies) == 3 && c.TrustedProxies[1].String() == "192.0.2.7/32" && c.TrustedProxies[2].String() == "::1/128"
		}},
		{name: "bad trusted proxy", args: []string{"--trusted-proxy", "proxy.local"}, wantErr: "--trusted-proxy"},
		{name: "limits", args: []string{"--account-limit", "5/1h", "--address-limit", "100/10m"}, check: func(c serveConfig) bool {
			return c.AccountLimit == server.Limit{Attempts: 5, Window: time.Hour} && c.AddressLimit.Attempts == 100
		}},
		{name: "bad limit", env: map[string]string{"HEYAN_ACCOUNT_LIMIT": "ten"}, wantErr: "--account-limit"},
		{name: "zero limit", args: []string{"--account-limit", "0/1m"}, wantErr: "--account-limit"},
		{name: "quota", args: []string{"--quota-records", "50"}, env: map[string]string{"HEYAN_QUOTA_BYTES": "512KiB"}, check: func(c serveConfig) bool {
			return c.Quota == server.Quota{Records: 50, Bytes: 512 << 10}
		}},
		{name: "quota in bytes", args: []string{"--quota-bytes", "1000000"}, check: func(c serveConfig) bool { return c.Quota.Bytes == 1000000 }},
		{name: "quota in GiB", args: []string{"--quota-bytes", "2GiB"}, check: func(c serveConfig) bool { return c.Quota.Bytes == 2<<30 }},
		{name: "bad quota unit", args: []string{"--quota-bytes", "16MB"}, wantErr: "--quota-bytes"},
		{name: "zero quota", args: []string{"--quota-bytes", "0"}, wantErr: "--quota-bytes"},
		{name: "huge quota", args: []string{"--quota-bytes", "9999999999GiB"}, wantErr: "--quota-bytes"},
		{name: "bad record quota", env: map[string]string{"HEYAN_QUOTA_RECORDS": "many"}, wantErr: "--quota-records"},
		{name: "bad duration", args: []string{"--request-timeout", "soon"}, wantErr: "--request-timeout"},
		{name: "negative duration", args: []string{"--refresh-ttl", "-1h"}, wantErr: "positive"},
		{name: "log level", args: []string{"--log-level", "debug", "--log-format", "json"}, check: func(c serveConfig) bool { return c.LogLevel.String() == "DEBUG" && c.LogFormat == "json" }},
		{name: "bad log level", args: []string{"--log-level", "loud"}, wantErr: "--log-level"},
		{name: "bad log format", args: []string{"--log-format", "xml"}, wantErr: "--log-format"},
		{name: "unknown flag", args: []string{"--port", "80"}, wantErr: "not defined"},
		{name: "stray argument", args: []string{"now"}, wantErr: "unexpected argument"},
		{name: "several errors at once", args: []string{"--request-timeout", "x", "--log-format", "xml"}, wantErr: "--log-format"},
	}
	for _, tt := range tests {
		cfg, err := parseServeConfig(tt.args, env(tt.env))
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: error %v, want one mentioning %q", tt.name, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case !tt.check(cfg):
			t.Errorf("%s: config %s", tt.name, sprint(cfg))
		}
	}
}

func TestServeHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := serveCommand([]string{"--help"}, &out, &errOut); code != 0 {
		t.Fatalf("--help exited %d: %s", code, errOut.String())
	}
	help := out.String()
	for _, o := range serveOptions {
		for _, want := range []string{"--" + o.flag, o.env} {
			if !strings.Contains(help, want) {
				t.Errorf("--help does not mention %s", want)
			}
		}
		if o.secret && !strings.Contains(help, o.env+"_FILE") {
			t.Errorf("--help does not mention %s_FILE", o.env)
		}
		if o.def != "" && !strings.Contains(help, o.def) {
			t.Errorf("--help does not give the default of --%s", o.flag)
		}
	}
	for _, want := range []string{"HEYAN_SIGNING_KEY ", "HEYAN_SECRET ", "Exit status:", "  0  ", "  1  ", "  2  "} {
		if !strings.Contains(help, want) {
			t.Errorf("--help does not mention %s", want)
		}
	}
}

func TestServeBadUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := serveCommand([]string{"--addr"}, &out, &errOut); code != 2 {
		t.Errorf("missing flag value exited %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), "heyan serve --help") {
		t.Errorf("stderr %q does not point at --help", errOut.String())
	}
}

func TestCreateOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "k")
	calls := 0
	mk := func() ([]byte, error) { calls++; return []byte("first"), nil }
	for range 2 {
		if err := createOnce(path, mk); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 {
		t.Errorf("made the file %d times", calls)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v, %v; want 0600", fi.Mode(), err)
	}
	if err := createOnce(filepath.Join(t.TempDir(), "x"), func() ([]byte, error) { return nil, errors.New("boom") }); err == nil {
		t.Error("a failing maker did not fail")
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".tmp-*"))
	if len(matches) != 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}
}

// TestPrivateFile: a secret other users can reach is refused; one whose
// mode is open behind a closed folder, or open to its group, is allowed
// with a warning; an owner-only one passes quietly.
func TestPrivateFile(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{filepath.Dir(root), root} {
		os.Chmod(d, 0o755)
	}
	closed := filepath.Join(root, "closed")
	os.Mkdir(closed, 0o700)
	file := func(dir, name string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("secret"), 0o600)
		os.Chmod(p, mode)
		return p
	}
	link := filepath.Join(root, "link")
	os.Symlink(file(root, "target", 0o644), link)
	for _, tc := range []struct {
		name     string
		path     string
		wantErr  string // fragment of the refusal; "" for none
		wantWarn string // fragment of the warning; "" for none
	}{
		{"owner-only", file(root, "a", 0o600), "", ""},
		{"read-only for the owner", file(root, "b", 0o400), "", ""},
		{"world-readable", file(root, "c", 0o644), "can be read by other users (mode 0644)", ""},
		{"world-writable", file(root, "d", 0o602), "can be changed by other users", ""},
		{"world-readable through a symlink", link, "link can be read by other users", ""},
		{"world-readable behind a closed folder", file(closed, "e", 0o644), "", "other users read it"},
		{"group-readable", file(root, "f", 0o640), "", "open to its group"},
		{"missing", filepath.Join(root, "none"), "", ""},
	} {
		var logs bytes.Buffer
		err := privateFile(tc.path, "signing key", slog.New(slog.NewTextHandler(&logs, nil)))
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "chmod 600 "+tc.path)):
			t.Errorf("%s: error %v, want one with %q and the chmod to run", tc.name, err, tc.wantErr)
		}
		if tc.wantWarn == "" && logs.Len() > 0 || tc.wantWarn != "" && !strings.Contains(logs.String(), tc.wantWarn) {
			t.Errorf("%s: log %q, want a warning with %q", tc.name, logs.String(), tc.wantWarn)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{{16 << 20, "16MiB"}, {1 << 30, "1GiB"}, {1536 << 10, "1536KiB"}, {1000, "1000"}, {1 << 10, "1KiB"}} {
		got := formatSize(tc.n)
		if back, err := parseSize(got); got != tc.want || err != nil || back != tc.n {
			t.Errorf("formatSize(%d) = %q (reads back as %d, %v), want %q", tc.n, got, back, err, tc.want)
		}
	}
}
