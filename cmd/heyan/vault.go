package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/heyan-dev/heyan/core"
	"github.com/heyan-dev/heyan/core/vault"
)

// exitFailed is the vault commands' status when they ran and could not do
// their job: the server refused, the password did not open the vault, a
// record was refused.
const exitFailed = 1

// maxPasswordFile bounds what --password-file reads.
const maxPasswordFile = 64 << 10

const vaultSummary = `heyan vault export decrypts a sync account (docs/VAULT.md) and prints its
export file: {"format":"heyan-export","version":1,"exportedAt":…,
"people":[…],"filings":[…]}, records in the order of their IDs, deleted ones
left out. It signs in with the email and password, opens every record on this
computer, and signs out; the password never leaves it (only the authKey
derived from it does).

The password comes from a prompt (without echo) when stdin is a terminal, or
from --password-file (- for stdin), whose one trailing line end is dropped.

A record that does not open (moved to another ID or account, altered, rolled
back to an older version, sealed under another key) or of an unknown kind
stops the export with a message naming it: a backup that leaves records out
silently would be worse than none.

Exit status:
  0  the export was printed
  1  it could not be made: the server was unreachable or refused, the KDF
     parameters were below this client's floor, the password was wrong, a
     record was refused
  2  bad usage`

// runVault dispatches heyan vault's subcommands.
func runVault(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := stdout
		if len(args) == 0 {
			w = stderr
		}
		io.WriteString(w, "Usage: heyan vault export --server URL --email EMAIL [--password-file FILE] [--lang en]\n\n"+vaultSummary+"\n")
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	if args[0] != "export" {
		errorf(stderr, "heyan vault: unknown subcommand "+quoteArg(args[0])+" (the one there is: export)")
		return exitUsage
	}
	return runVaultExport(args[1:], stdin, stdout, stderr, time.Now)
}

func runVaultExport(args []string, stdin io.Reader, stdout, stderr io.Writer, now func() time.Time) int {
	const name = "heyan vault export"
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	server := fs.String("server", "", "the sync server, https://… (http:// only to loopback)")
	email := fs.String("email", "", "the account's email")
	passwordFile := fs.String("password-file", "", "read the password from this file (- for stdin) instead of a prompt")
	langTag := fs.String("lang", "zh-CN", "language of messages: zh-CN or en")
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(fs, "--server URL --email EMAIL [--password-file FILE]", stdout)
		io.WriteString(stdout, "\n"+vaultSummary+"\n")
		return exitOK
	}
	if err != nil {
		errorf(stderr, name+": "+err.Error()+" (see "+name+" --help)")
		return exitUsage
	}
	lang, err := core.ParseLang(*langTag)
	if err != nil {
		errorf(stderr, name+": --lang: "+err.Error())
		return exitUsage
	}
	say := func(zh, en string) string {
		if lang == core.LangEN {
			return en
		}
		return zh
	}
	switch {
	case len(pos) > 0:
		errorf(stderr, name+": "+say("多余的参数 "+quoteArg(pos[0]), "unexpected argument "+quoteArg(pos[0]))+" (see "+name+" --help)")
		return exitUsage
	case strings.TrimSpace(*server) == "" || strings.TrimSpace(*email) == "":
		errorf(stderr, name+": "+say("需要 --server 和 --email", "needs --server and --email")+" (see "+name+" --help)")
		return exitUsage
	}
	c, err := newSyncClient(*server)
	if err != nil {
		errorf(stderr, name+": "+localized(err, lang))
		return exitUsage
	}
	password, err := readPassword(*passwordFile, *email, stdin, stderr)
	if err != nil {
		errorf(stderr, name+": "+localized(err, lang))
		return exitUsage
	}
	out, err := exportVault(context.Background(), c, strings.TrimSpace(*email), password, now())
	if err != nil {
		var problems exportProblems
		if errors.As(err, &problems) {
			for _, p := range problems {
				errorf(stderr, name+": "+localized(p.err, lang))
			}
			errorf(stderr, name+": "+say(strconv.Itoa(len(problems))+" 条记录无法导出，因此没有输出任何内容。", strconv.Itoa(len(problems))+" record"+plural(len(problems))+" could not be exported, so nothing was written"))
			return exitFailed
		}
		errorf(stderr, name+": "+localized(err, lang))
		return exitFailed
	}
	if _, err := stdout.Write(out); err != nil {
		errorf(stderr, name+": "+err.Error())
		return exitFailed
	}
	return exitOK
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// readPassword gets the password from file ("-": stdin), or else from a
// prompt on the terminal without echo. One trailing line end of a file is
// dropped; anything else is the password's (the vault refuses control
// characters, so a stray one is an error, not a silently different key).
func readPassword(file, email string, stdin io.Reader, stderr io.Writer) (string, error) {
	var data []byte
	var err error
	switch {
	case file == "-":
		data, err = io.ReadAll(io.LimitReader(stdin, maxPasswordFile+1))
	case file != "":
		var f *os.File
		if f, err = os.Open(file); err == nil {
			data, err = io.ReadAll(io.LimitReader(f, maxPasswordFile+1))
			f.Close()
		}
	default:
		tty, ok := stdin.(*os.File)
		if !ok || !term.IsTerminal(int(tty.Fd())) {
			return "", msgError("没有密码：请用 --password-file FILE（或 - 表示标准输入）给出，或在终端里运行以输入密码。", "no password: give --password-file FILE (or - for stdin), or run on a terminal to type it")
		}
		io.WriteString(stderr, "密码 Password ("+email+"): ")
		data, err = term.ReadPassword(int(tty.Fd()))
		io.WriteString(stderr, "\n")
		if err != nil {
			return "", msgError("读不到密码："+err.Error(), "cannot read the password: "+err.Error())
		}
		return string(data), nil
	}
	if err != nil {
		return "", msgError("读不到密码文件："+err.Error(), "cannot read the password file: "+err.Error())
	}
	if len(data) > maxPasswordFile {
		return "", msgError("密码文件超过 64 KiB：这不是密码文件。", "the password file is over 64 KiB: it is not a password file")
	}
	data = bytes.TrimSuffix(data, []byte("\n"))
	data = bytes.TrimSuffix(data, []byte("\r"))
	return string(data), nil
}

// msgErr is an error of the vault commands, in both languages.
type msgErr struct{ zh, en string }

func (m *msgErr) Error() string { return m.en }

func msgError(zh, en string) error { return &msgErr{zh, en} }

// localized gives err's message in lang: vault errors and the commands' own
// carry both languages; anything else is English.
func localized(err error, lang core.Lang) string {
	var ve *vault.Error
	var me *msgErr
	switch {
	case errors.As(err, &ve):
		return ve.Message(string(lang))
	case errors.As(err, &me):
		if lang == core.LangEN {
			return me.en
		}
		return me.zh
	}
	return err.Error()
}
