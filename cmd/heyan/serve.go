package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/heyan-dev/heyan/server"
	"github.com/heyan-dev/heyan/server/postgres"
	"github.com/heyan-dev/heyan/server/sqlite"
)

// serveConfig is everything `heyan serve` can be told, after flags, HEYAN_*
// variables and defaults are merged (in that order of precedence).
type serveConfig struct {
	Addr               string
	DatabaseURL        string
	DatabaseURLFile    string // HEYAN_DATABASE_URL_FILE, if the URL came from it
	DataDir            string
	SigningKeyFile     string
	SigningKey         []byte // HEYAN_SIGNING_KEY(_FILE) contents, if given that way
	VerifyKeyFiles     []string
	Secret             []byte // HEYAN_SECRET(_FILE) contents, if given that way
	SecretFile         string
	AllowedOrigins     []string
	TrustedProxies     []netip.Prefix
	Issuer             string
	Audience           string
	RequestTimeout     time.Duration
	ShutdownTimeout    time.Duration
	AccountLimit       server.Limit
	AddressLimit       server.Limit
	RefreshTTL         time.Duration
	TombstoneRetention time.Duration
	Quota              server.Quota
	LogFormat          string
	LogLevel           slog.Level
}

// option is one setting: a flag, its HEYAN_* variable and its default. A
// secret option also reads NAME_FILE, a file holding the value.
type option struct {
	flag, env, def, usage string
	secret                bool
	list                  bool // repeatable flag; the variable is comma-separated
}

var serveOptions = []option{
	{flag: "addr", env: "HEYAN_ADDR", def: "127.0.0.1:8080", usage: "address to listen on"},
	{flag: "db", env: "HEYAN_DATABASE_URL", def: "sqlite:./data/heyan.db", secret: true,
		usage: "database: sqlite:PATH, or a postgres:// URL (prefer the variable or its _FILE when the URL has a password)"},
	{flag: "data-dir", env: "HEYAN_DATA_DIR", def: "", usage: "folder for generated keys (default: the SQLite file's folder, or ./data)"},
	{flag: "signing-key-file", env: "HEYAN_SIGNING_KEY_FILE", def: "",
		usage: "access-token signing key: Ed25519 PKCS #8 PEM, or an HS256 secret of 32+ bytes in base64 (default: DATA-DIR/signing.key, created if missing); HEYAN_SIGNING_KEY may hold the key itself"},
	{flag: "verify-key-file", env: "HEYAN_VERIFY_KEY_FILES", def: "", list: true,
		usage: "extra key accepted for verifying tokens, for key rotation (Ed25519 public or private PEM, or HS256 secret)"},
	{flag: "secret-file", env: "HEYAN_SECRET_FILE", def: "",
		usage: "server secret, 32+ bytes in base64, that keys the sign-in throttle keys (default: DATA-DIR/secret.key, created if missing); HEYAN_SECRET may hold it itself"},
	{flag: "allowed-origin", env: "HEYAN_ALLOWED_ORIGINS", def: "", list: true,
		usage: "extension origin allowed by CORS: chrome-extension://<id> or moz-extension://<uuid>, exact"},
	{flag: "trusted-proxy", env: "HEYAN_TRUSTED_PROXIES", def: "", list: true,
		usage: "address or CIDR of a reverse proxy whose X-Forwarded-For is believed (none: X-Forwarded-For is ignored)"},
	// The server package owns these defaults; they are only spelt here.
	{flag: "issuer", env: "HEYAN_ISSUER", def: server.DefaultIssuer, usage: `access-token "iss"`},
	{flag: "audience", env: "HEYAN_AUDIENCE", def: server.DefaultAudience, usage: `access-token "aud"`},
	{flag: "request-timeout", env: "HEYAN_REQUEST_TIMEOUT", def: formatDuration(server.DefaultRequestTimeout), usage: "time a request's handler may take"},
	{flag: "shutdown-timeout", env: "HEYAN_SHUTDOWN_TIMEOUT", def: formatDuration(server.DefaultShutdownTimeout), usage: "time in-flight requests get to finish on SIGINT/SIGTERM; then their connections are closed"},
	{flag: "account-limit", env: "HEYAN_ACCOUNT_LIMIT", def: formatLimit(server.DefaultAccountLimit), usage: "sign-in attempts allowed per email, as N/DURATION"},
	{flag: "address-limit", env: "HEYAN_ADDRESS_LIMIT", def: formatLimit(server.DefaultAddressLimit), usage: "sign-in and sign-up attempts allowed per client address (IPv6: per /64), as N/DURATION"},
	{flag: "refresh-ttl", env: "HEYAN_REFRESH_TTL", def: formatDuration(server.DefaultRefreshTTL), usage: "lifetime of an unused refresh token; a session idle this long ends"},
	{flag: "tombstone-retention", env: "HEYAN_TOMBSTONE_RETENTION", def: formatDuration(server.DefaultTombstoneRetention), usage: "how long deletions are kept for sync; older cursors get 410"},
	{flag: "quota-records", env: "HEYAN_QUOTA_RECORDS", def: strconv.Itoa(server.DefaultQuota.Records),
		usage: "records an account may keep (deleted ones count until purged); a write past it gets 403 quota_exceeded"},
	{flag: "quota-bytes", env: "HEYAN_QUOTA_BYTES", def: formatSize(server.DefaultQuota.Bytes),
		usage: "bytes of record data an account may keep, as a number of bytes or with KiB, MiB or GiB; a write past it gets 403 quota_exceeded"},
	{flag: "log-format", env: "HEYAN_LOG_FORMAT", def: "text", usage: "log format: text or json"},
	{flag: "log-level", env: "HEYAN_LOG_LEVEL", def: "info", usage: "log level: debug, info, warn or error"},
}

const serveSummary = `Usage: heyan serve [flags]

Runs the sync server: accounts, sessions and end-to-end encrypted records
under /api/v1, plus /healthz and /readyz. Each flag can also be set by its
HEYAN_* variable; a flag given on the command line wins over the variable.
Variables marked with _FILE also accept NAME_FILE, a path to a file holding
the value (for secrets). With no key or secret configured, the server
creates them in its data folder (mode 0600) and reuses them on restart. It
refuses to start when other users can read a key, the secret, the SQLite
file or the database URL file (chmod 600 them).
`

// serveCommand runs `heyan serve`. It returns the process exit status: 0
// after a clean shutdown, 1 on a runtime failure, 2 on bad usage.
func serveCommand(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseServeConfig(args, os.LookupEnv)
	if errors.Is(err, flag.ErrHelp) {
		printServeHelp(stdout)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "heyan serve: %v\nRun 'heyan serve --help' for usage.\n", err)
		return 2
	}
	log := newLogger(stderr, cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal, a second one kills at once.
		<-ctx.Done()
		stop()
	}()
	if err := runServer(ctx, cfg, log); err != nil {
		log.Error("server failed", "err", err.Error())
		return 1
	}
	log.Info("stopped")
	return 0
}

func runServer(ctx context.Context, cfg serveConfig, log *slog.Logger) error {
	if err := privateFile(cfg.DatabaseURLFile, "database URL file", log); err != nil {
		return err
	}
	store, dataDir, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	if cfg.DataDir != "" {
		dataDir = cfg.DataDir
	}
	keys, generatedKey, err := loadKeyring(cfg, dataDir, log)
	if err != nil {
		return err
	}
	secret, generatedSecret, err := loadSecret(cfg, dataDir, log)
	if err != nil {
		return err
	}
	if _, isPG := store.(*postgres.DB); isPG && (generatedKey || generatedSecret) {
		log.Warn("using a signing key or secret from the data folder; several replicas need the same --signing-key-file and --secret-file",
			"data_dir", dataDir)
	}
	svc, err := server.NewService(store, keys, server.Config{
		Issuer:             cfg.Issuer,
		Audience:           cfg.Audience,
		Secret:             secret,
		AccountLimit:       cfg.AccountLimit,
		AddressLimit:       cfg.AddressLimit,
		RefreshTTL:         cfg.RefreshTTL,
		TombstoneRetention: cfg.TombstoneRetention,
		Quota:              cfg.Quota,
	})
	if err != nil {
		return err
	}
	srv, err := server.NewServer(svc, server.HTTPConfig{
		AllowedOrigins:  cfg.AllowedOrigins,
		TrustedProxies:  cfg.TrustedProxies,
		RequestTimeout:  cfg.RequestTimeout,
		ShutdownTimeout: cfg.ShutdownTimeout,
		Logger:          log,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String(), "store", storeKind(store))
	return srv.Serve(ctx, ln)
}

// openStore opens the store the database URL names and says which folder
// generated keys go to by default.
func openStore(ctx context.Context, cfg serveConfig, log *slog.Logger) (server.Store, string, error) {
	u := cfg.DatabaseURL
	switch {
	case strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://"):
		db, err := postgres.Open(ctx, u)
		return db, "./data", err
	case strings.HasPrefix(u, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "//")
		// The write-ahead log holds recent rows too; SQLite gives a new one
		// the database's mode, but an old one keeps its own.
		for _, f := range []string{path, path + "-wal"} {
			if err := privateFile(f, "SQLite database", log); err != nil {
				return nil, "", err
			}
		}
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, "", err
		}
		return db, filepath.Dir(path), nil
	}
	return nil, "", errors.New("database URL must start with sqlite: or postgres://")
}

func storeKind(s server.Store) string {
	if _, ok := s.(*postgres.DB); ok {
		return "postgres"
	}
	return "sqlite"
}

// loadKeyring reads the signing and verification keys, creating the
// signing key in dataDir when none is configured. It reports whether it
// used a generated key.
func loadKeyring(cfg serveConfig, dataDir string, log *slog.Logger) (*server.Keyring, bool, error) {
	data, generated := cfg.SigningKey, false
	if data == nil {
		path := cfg.SigningKeyFile
		if path == "" {
			path, generated = filepath.Join(dataDir, "signing.key"), true
			if err := createOnce(path, server.GenerateKeyFile); err != nil {
				return nil, false, fmt.Errorf("signing key: %w", err)
			}
		}
		if err := privateFile(path, "signing key", log); err != nil {
			return nil, false, err
		}
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, false, fmt.Errorf("signing key: %w", err)
		}
	}
	signing, err := server.ParseKey(data)
	if err != nil {
		return nil, false, fmt.Errorf("signing key: %w", err)
	}
	var verify []server.Key
	for _, path := range cfg.VerifyKeyFiles {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, false, fmt.Errorf("verification key: %w", err)
		}
		k, err := server.ParseKey(b)
		if err != nil {
			return nil, false, fmt.Errorf("verification key %s: %w", path, err)
		}
		if k.CanSign() { // a public key may be read by anyone
			if err := privateFile(path, "verification key", log); err != nil {
				return nil, false, err
			}
		}
		verify = append(verify, k)
	}
	kr, err := server.NewKeyring(signing, verify...)
	return kr, generated, err
}

// loadSecret reads the server secret, creating it in dataDir when none is
// configured.
func loadSecret(cfg serveConfig, dataDir string, log *slog.Logger) ([]byte, bool, error) {
	data, generated := cfg.Secret, false
	if data == nil {
		path := cfg.SecretFile
		if path == "" {
			path, generated = filepath.Join(dataDir, "secret.key"), true
			err := createOnce(path, func() ([]byte, error) {
				b := make([]byte, 32)
				rand.Read(b)
				return []byte(base64.StdEncoding.EncodeToString(b) + "\n"), nil
			})
			if err != nil {
				return nil, false, fmt.Errorf("server secret: %w", err)
			}
		}
		if err := privateFile(path, "server secret", log); err != nil {
			return nil, false, err
		}
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, false, fmt.Errorf("server secret: %w", err)
		}
	}
	secret, err := decodeSecret(string(data))
	if err != nil {
		return nil, false, fmt.Errorf("server secret: %w", err)
	}
	return secret, generated, nil
}

func decodeSecret(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) < 32 {
				return nil, fmt.Errorf("%d bytes, want at least 32", len(b))
			}
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}

// createOnce writes make's output to path (mode 0600, its folder 0700)
// unless the file exists. The file appears whole or not at all, and of two
// processes racing, the first one's file wins.
func createOnce(path string, make func() ([]byte, error)) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	data, err := make()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// A hard link fails if path exists, unlike a rename.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

func newLogger(w io.Writer, cfg serveConfig) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// parseServeConfig merges flags, environment and defaults. lookupEnv is
// os.LookupEnv, or a map in tests.
func parseServeConfig(args []string, lookupEnv func(string) (string, bool)) (serveConfig, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	values := map[string]*string{}
	lists := map[string]*listFlag{}
	for _, o := range serveOptions {
		if o.list {
			lists[o.flag] = &listFlag{}
			fs.Var(lists[o.flag], o.flag, o.usage)
		} else {
			values[o.flag] = fs.String(o.flag, "", o.usage)
		}
	}
	if err := fs.Parse(args); err != nil {
		return serveConfig{}, err
	}
	if fs.NArg() > 0 {
		return serveConfig{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	fromFile := map[string]string{} // option → the _FILE it was read from

	// get returns an option's value: the flag, else the variable (or, for a
	// secret, the file its _FILE variable names), else the default.
	get := func(name string) (string, error) {
		var o option
		for _, x := range serveOptions {
			if x.flag == name {
				o = x
			}
		}
		if set[name] {
			if o.list {
				return strings.Join(*lists[name], ","), nil
			}
			return *values[name], nil
		}
		v, ok := lookupEnv(o.env)
		if o.secret {
			if file, fok := lookupEnv(o.env + "_FILE"); fok {
				if ok {
					return "", fmt.Errorf("set %s or %s_FILE, not both", o.env, o.env)
				}
				b, err := os.ReadFile(file)
				if err != nil {
					return "", fmt.Errorf("%s_FILE: %w", o.env, err)
				}
				v, ok = strings.TrimSpace(string(b)), true
				fromFile[name] = file
			}
		}
		if ok {
			return v, nil
		}
		return o.def, nil
	}
	var cfg serveConfig
	var errs []error
	str := func(name string, dst *string) {
		v, err := get(name)
		errs = append(errs, err)
		*dst = v
	}
	dur := func(name string, dst *time.Duration) {
		v, err := get(name)
		if err == nil {
			*dst, err = time.ParseDuration(v)
			if err == nil && *dst <= 0 {
				err = errors.New("must be positive")
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("--%s: %w", name, err))
		}
	}
	limit := func(name string, dst *server.Limit) {
		v, err := get(name)
		if err == nil {
			*dst, err = parseLimit(v)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("--%s: %w", name, err))
		}
	}
	list := func(name string) []string {
		v, err := get(name)
		errs = append(errs, err)
		var out []string
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	str("addr", &cfg.Addr)
	str("db", &cfg.DatabaseURL)
	cfg.DatabaseURLFile = fromFile["db"]
	str("data-dir", &cfg.DataDir)
	str("signing-key-file", &cfg.SigningKeyFile)
	str("secret-file", &cfg.SecretFile)
	str("issuer", &cfg.Issuer)
	str("audience", &cfg.Audience)
	str("log-format", &cfg.LogFormat)
	cfg.VerifyKeyFiles = list("verify-key-file")
	cfg.AllowedOrigins = list("allowed-origin")
	dur("request-timeout", &cfg.RequestTimeout)
	dur("shutdown-timeout", &cfg.ShutdownTimeout)
	dur("refresh-ttl", &cfg.RefreshTTL)
	dur("tombstone-retention", &cfg.TombstoneRetention)
	limit("account-limit", &cfg.AccountLimit)
	limit("address-limit", &cfg.AddressLimit)
	if v, err := get("quota-records"); err == nil {
		if cfg.Quota.Records, err = strconv.Atoi(v); err != nil || cfg.Quota.Records < 1 {
			errs = append(errs, fmt.Errorf("--quota-records: %q is not a whole number of records, at least 1", v))
		}
	}
	if v, err := get("quota-bytes"); err == nil {
		if cfg.Quota.Bytes, err = parseSize(v); err != nil {
			errs = append(errs, fmt.Errorf("--quota-bytes: %w", err))
		}
	}

	// Secrets given inline by variable (HEYAN_SIGNING_KEY, HEYAN_SECRET),
	// when no file flag or variable is set.
	for _, inline := range []struct {
		env     string
		fileSet bool
		dst     *[]byte
	}{
		{"HEYAN_SIGNING_KEY", cfg.SigningKeyFile != "", &cfg.SigningKey},
		{"HEYAN_SECRET", cfg.SecretFile != "", &cfg.Secret},
	} {
		if v, ok := lookupEnv(inline.env); ok {
			if inline.fileSet {
				errs = append(errs, fmt.Errorf("%s is set as well as its file", inline.env))
			}
			*inline.dst = []byte(v)
		}
	}
	for _, p := range list("trusted-proxy") {
		prefix, err := parsePrefix(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("--trusted-proxy %q: %w", p, err))
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, prefix)
	}
	for _, o := range cfg.AllowedOrigins {
		if err := server.CheckOrigin(o); err != nil {
			errs = append(errs, err)
		}
	}
	var level string
	str("log-level", &level)
	if err := cfg.LogLevel.UnmarshalText([]byte(level)); err != nil {
		errs = append(errs, fmt.Errorf("--log-level: %q is not debug, info, warn or error", level))
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format: %q is not text or json", cfg.LogFormat))
	}
	if cfg.Addr == "" {
		errs = append(errs, errors.New("--addr is empty"))
	}
	return cfg, errors.Join(errs...)
}

// formatDuration spells d as a flag value, without the zero units Go's
// String adds (720h, not 720h0m0s).
func formatDuration(d time.Duration) string {
	switch {
	case d > 0 && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d > 0 && d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return d.String()
}

// formatLimit spells l as N/DURATION, the form parseLimit reads.
func formatLimit(l server.Limit) string {
	return strconv.Itoa(l.Attempts) + "/" + formatDuration(l.Window)
}

// sizeUnits are the suffixes parseSize reads and formatSize writes, largest
// first.
var sizeUnits = []struct {
	name string
	n    int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}}

// formatSize spells n bytes in the largest unit that divides it (16MiB).
func formatSize(n int64) string {
	for _, u := range sizeUnits {
		if n > 0 && n%u.n == 0 {
			return strconv.FormatInt(n/u.n, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}

// parseSize reads a positive number of bytes, alone or with KiB, MiB or GiB.
func parseSize(s string) (int64, error) {
	num, mult := s, int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(s, u.name) {
			num, mult = strings.TrimSuffix(s, u.name), u.n
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 1 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("%q is not a size in bytes, like 16MiB, 512KiB or 1000000", s)
	}
	return n * mult, nil
}

// parseLimit reads N/DURATION, e.g. 10/15m.
func parseLimit(s string) (server.Limit, error) {
	n, d, ok := strings.Cut(s, "/")
	attempts, err := strconv.Atoi(n)
	if !ok || err != nil || attempts < 1 {
		return server.Limit{}, fmt.Errorf("%q is not N/DURATION, like 10/15m", s)
	}
	window, err := time.ParseDuration(d)
	if err != nil || window <= 0 {
		return server.Limit{}, fmt.Errorf("%q is not N/DURATION, like 10/15m", s)
	}
	return server.Limit{Attempts: attempts, Window: window}, nil
}

// parsePrefix reads an address (a one-address prefix) or a CIDR.
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// listFlag is a flag that may be repeated, each value possibly
// comma-separated.
type listFlag []string

// String joins the values, for flag.Value.
func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set appends a value, for flag.Value.
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func printServeHelp(w io.Writer) {
	fmt.Fprint(w, serveSummary, "\nFlags:\n")
	for _, o := range serveOptions {
		env := o.env
		if o.secret {
			env += ", " + o.env + "_FILE"
		}
		if o.def != "" {
			env += ", default " + o.def
		}
		rep := ""
		if o.list {
			rep = " (repeatable; the variable takes a comma-separated list)"
		}
		fmt.Fprintf(w, "  --%s  (%s)%s\n", o.flag, env, rep)
		for _, line := range wrap(o.usage, 70) {
			fmt.Fprintf(w, "        %s\n", line)
		}
	}
	fmt.Fprint(w, `
Also: HEYAN_SIGNING_KEY may hold a signing key itself and HEYAN_SECRET the
server secret itself, instead of naming files.

Several replicas (PostgreSQL only) must share --signing-key-file,
--verify-key-file and --secret-file; see docs/SERVER.md.

Exit status:
  0  stopped cleanly after SIGINT or SIGTERM (in-flight requests finished;
     any still running after --shutdown-timeout were cut short and logged)
  1  the server failed to start or stopped on an error; the log says why
  2  bad flags or variables; nothing was started
`)
}

// wrap breaks text into lines of at most width characters at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(lines, line)
}
