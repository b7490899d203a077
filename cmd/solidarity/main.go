// Command solidarity is the whole Solidarity system in one binary: the web server, its
// background jobs, and the administration commands.
package main

import (
	"errors"
	"fmt"
	"os"

	"solidarity/internal/errs"
	"solidarity/internal/i18n"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run dispatches a subcommand and returns the process exit code.
func run(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = serve(rest)
	case "migrate":
		err = migrate(rest)
	case "backup":
		err = backup(rest)
	case "bench":
		err = bench(rest)
	case "vault":
		err = vaultCmd(rest)
	case "audit":
		err = auditCmd(rest)
	case "admin":
		err = adminCmd(rest)
	case "import":
		err = importCmd(rest)
	case "version", "--version", "-version":
		fmt.Println(version())
		return 0
	case "help", "--help", "-h", "-help":
		fmt.Print(usage)
		return 0
	default:
		fmt.Fprintf(os.Stderr, "solidarity: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		if err == errUsage {
			return 2
		}
		fmt.Fprintln(os.Stderr, "solidarity:", explain(err))
		return 1
	}
	return 0
}

const usage = `Solidarity: the home system of an immigrant and refugee rights network.

Usage:
  solidarity serve [flags]     start the web server and background jobs
  solidarity migrate [flags]   create or update the database schema, then exit
  solidarity backup --to FILE  write a consistent copy of the embedded database
  solidarity bench [flags]     measure a node on loopback and print a table
  solidarity vault init        create the vault (passphrase from standard input, or --key-file FILE)
  solidarity vault status      say whether the vault is initialized and sealed
  solidarity audit verify      check the audit log's hash chain; exit 1 naming the first bad entry
  solidarity import people FILE.csv [--dry-run] [--tags a,b] [--rejects OUT.csv]
  solidarity admin create-user --email E --name N --role R --password-stdin
  solidarity admin reset-2fa --email E
  solidarity admin disable-user --email E
  solidarity admin create-api-key --name N --role R [--expires YYYY-MM-DD]
  solidarity version           print the version
  solidarity help              print this help

Run "solidarity serve -h" for the flags. Every flag can also be set as an environment
variable (for example --database as SOLIDARITY_DATABASE_URL) or in a file given by
--config, one SOLIDARITY_NAME=value per line.

With no flags, serve starts on an embedded SQLite database in ./data at
http://127.0.0.1:8080. Add --demo to load an invented demo network.
`

// explain turns a coded error into its English message for the terminal, keeping the
// context of the wrapping.
func explain(err error) string {
	var e *errs.Error
	if !errors.As(err, &e) || e.Key == "" || e.Code == errs.CodeInternal {
		return err.Error()
	}
	cat, lerr := i18n.Load()
	if lerr != nil || !cat.Has("en", e.Key) {
		return err.Error()
	}
	msg := cat.Localizer("en").T(e.Key)
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	return msg
}
