// Command heyan is Heyan's one binary: the knowledge base and checks of the
// core on the command line (diagnose, who, questions, check, track, kb,
// rules), and
// the sync server (serve).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"strings"

	"github.com/heyan-dev/heyan/core"
)

// Version is the project's version, from its one place, the VERSION file:
// scripts/build-cli sets it with -ldflags "-X main.Version=..." (as
// scripts/build-wasm does for the core, and scripts/bundle stamps it into
// the extension's manifest). A build without it says "dev".
var Version = "dev"

// Exit statuses. A check that finds a value invalid and a diagnose that
// finds nothing have done their job: both exit 0, and the output says so.
const (
	exitOK    = 0
	exitUsage = 2 // bad usage or bad input
)

// command is one subcommand: its one-line summary and its entry point.
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is filled in init so that entries may refer to usage().
var commands map[string]command

// commandOrder is the order of the commands in the usage text.
var commandOrder = []string{"diagnose", "who", "questions", "check", "track", "kb", "rules", "serve", "vault", "version"}

func init() {
	commands = map[string]command{
		"diagnose":  {"explain MIIT messages found in text (stdin when no TEXT)", runDiagnose},
		"who":       {"who receives the SMS and what to type, per filing scenario", runWho},
		"questions": {"the yes/no questions that find a platform's scenario", runQuestions},
		"check":     {"check a phone number, the last 6 of an ID number or an SMS code", runCheck},
		"track":     {"tries, resends and deadline from a filing's events (stdin)", runTrack},
		"kb":        {"show one knowledge-base entry, or list them", runKB},
		"rules":     {"the limits, tracker states, answers per form, roles and platforms", runRules},
		"serve":     {"run the sync server (heyan serve --help for its settings)", runServe},
		"vault":     {"vault export: decrypt a sync account to its export JSON (heyan vault --help)", runVault},
		"version":   {"print the version", runVersion},
	}
}

// runServe adapts serveCommand, which reads no stdin, to the command table.
func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	return serveCommand(args, stdout, stderr)
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		errorf(stderr, "heyan: unknown command "+quoteArg(args[0])+" (run heyan --help for the list)")
		return exitUsage
	}
	return cmd.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("heyan 核验助手 — MIIT SMS verification (工信部短信核验) helper\n\nUsage: heyan COMMAND [flags] [args]\n\nCommands:\n")
	for _, name := range commandOrder {
		b.WriteString("  " + pad(name, 10) + commands[name].summary + "\n")
	}
	b.WriteString("\nRun heyan COMMAND --help for a command's flags. Output is zh-CN by default (--lang en), --json for machines.\nExit status: 0 success (an invalid value or no message found is a result), 2 bad usage or bad input.\n")
	io.WriteString(w, b.String())
}

func pad(s string, n int) string {
	for len(s) < n {
		s += " "
	}
	return s
}

func quoteArg(s string) string { return "\"" + s + "\"" }

func errorf(w io.Writer, msg string) {
	io.WriteString(w, strings.ReplaceAll(msg, "\n", " ")+"\n")
}

// commonFlags are the flags every core command takes.
type commonFlags struct {
	lang   string
	asJSON bool
}

func newFlagSet(name string, c *commonFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("heyan "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.lang, "lang", "zh-CN", "output language: zh-CN or en")
	fs.BoolVar(&c.asJSON, "json", false, "print JSON for machines")
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags placed anywhere among the positional arguments, so
// that `heyan check id 31002X --doc passport` works as people type it; after
// "--" everything is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// setup parses a command's arguments and reports usage problems; ok false
// means the command must return status.
func setup(fs *flag.FlagSet, synopsis string, c *commonFlags, args []string, stdout, stderr io.Writer) (pos []string, lang core.Lang, status int, ok bool) {
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(fs, synopsis, stdout)
		return nil, "", exitOK, false
	}
	if err != nil {
		errorf(stderr, fs.Name()+": "+err.Error()+" (see "+fs.Name()+" --help)")
		return nil, "", exitUsage, false
	}
	lang, err = core.ParseLang(c.lang)
	if err != nil {
		errorf(stderr, fs.Name()+": --lang: "+err.Error())
		return nil, "", exitUsage, false
	}
	return pos, lang, exitOK, true
}

func printHelp(fs *flag.FlagSet, synopsis string, w io.Writer) {
	var b strings.Builder
	b.WriteString("Usage: " + fs.Name() + " " + synopsis + "\n\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "help" {
			return
		}
		def := ""
		if f.DefValue != "" && f.DefValue != "false" {
			def = " (default " + f.DefValue + ")"
		}
		b.WriteString("  --" + pad(f.Name, 12) + f.Usage + def + "\n")
	})
	io.WriteString(w, b.String())
}

// fail reports a core error on one line in the user's language.
func fail(stderr io.Writer, name string, lang core.Lang, err error) int {
	var ce *core.Error
	if errors.As(err, &ce) {
		errorf(stderr, "heyan "+name+": "+ce.Message(lang))
	} else {
		errorf(stderr, "heyan "+name+": "+err.Error())
	}
	return exitUsage
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var c commonFlags
	fs := newFlagSet("version", &c)
	if _, _, status, ok := setup(fs, "", &c, args, stdout, stderr); !ok {
		return status
	}
	if c.asJSON {
		writeJSON(stdout, map[string]string{"version": Version})
		return exitOK
	}
	io.WriteString(stdout, "heyan "+Version+"\n")
	return exitOK
}
