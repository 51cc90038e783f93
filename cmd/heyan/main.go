// Command heyan is the one Heyan binary. This file only dispatches
// subcommands; each lives in its own file.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: heyan serve [flags]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		os.Exit(serveCommand(os.Args[2:], os.Stdout, os.Stderr))
	default:
		fmt.Fprintf(os.Stderr, "heyan: unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
}
