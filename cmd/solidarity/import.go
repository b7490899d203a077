package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/people"
)

// importCmd runs solidarity import people FILE.csv: the same import as the web page
// (automatic column mapping for Action Network and CiviCRM exports, dedupe by e-mail and
// phone, rejected rows with reasons), from the server's command line.
func importCmd(args []string) error {
	if len(args) == 0 || args[0] != "people" {
		return errors.New("import: want `import people FILE.csv`")
	}
	fs := flag.NewFlagSet("solidarity import people", flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "count what would change without changing anything")
	tags := fs.String("tags", "", "comma-separated tags to give everyone in the file")
	rejects := fs.String("rejects", "", "write the rejected rows with their reasons to this CSV file")
	// The file may come before or after the flags.
	rest, file := args[1:], ""
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		file, rest = rest[0], rest[1:]
	}
	cfg, err := config.Load(fs, rest, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return errUsage
	}
	if err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if file == "" || fs.NArg() > 0 {
		return errors.New("import people: give exactly one CSV file")
	}
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, newLogger("warn"))
	if err != nil {
		return err
	}
	defer a.Close()
	o := people.ImportOptions{DryRun: *dryRun}
	for _, t := range strings.Split(*tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			o.Tags = append(o.Tags, t)
		}
	}
	actor := auth.System("cli")
	imp, err := a.People.ImportFile(ctx, actor, file, o, func(i people.Import) {
		fmt.Fprintf(os.Stderr, "\r%3d%%  %d of %d rows", i.Percent(), i.RowsDone, i.RowsTotal)
	})
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	verb := "imported"
	if imp.DryRun {
		verb = "dry run"
	}
	fmt.Printf("%s %s: %d new, %d updated, %d unchanged, %d rejected\n", verb, imp.Filename, imp.Created, imp.Updated, imp.Unchanged, imp.Rejected)
	if *rejects != "" && imp.Rejected > 0 {
		f, err := os.OpenFile(*rejects, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := a.People.WriteRejects(ctx, actor, imp.ID, "en", f); err != nil {
			return err
		}
		fmt.Println("rejected rows written to", *rejects)
	}
	return nil
}
