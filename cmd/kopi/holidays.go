package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"

	"kopi/rules"
)

// runHolidays is `kopi holidays template TAHUN`: it writes next year's
// holiday table for the office to complete from the SKB 3 Menteri.
func runHolidays(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 || args[0] != "template" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			args = []string{"template", "--help"}
		} else {
			return fmt.Errorf("%w: %s", errUsage, msgHolidaysUsage)
		}
	}
	flags := newFlagSet(env, "holidays template", "TAHUN")
	out := flags.String("out", "", "berkas CSV yang ditulis; - untuk layar (kosong: libur-TAHUN.csv)")
	force := flags.Bool("force", false, "timpa berkas yang sudah ada")
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	if flags.NArg() == 0 {
		return fmt.Errorf("%w: %s", errUsage, msgHolidaysUsage)
	}
	arg := flags.Arg(0)
	// Flags may also follow the year: kopi holidays template 2027 --force.
	if err := flags.Parse(flags.Args()[1:]); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("%w: %s", errUsage, msgHolidaysUsage)
	}
	year, err := strconv.Atoi(arg)
	if err != nil || year < 2000 || year > 2200 {
		return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(msgHolidaysYear, arg))
	}
	data := rules.RenderHolidayTemplate(year)
	path := *out
	if path == "" {
		path = fmt.Sprintf("libur-%d.csv", year)
	}
	if path == "-" {
		_, err := env.stdout.Write(data)
		return err
	}
	mode := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if *force {
		mode = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, mode, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return &opError{what: fmt.Sprintf(msgHolidaysExists, path), cause: msgHolidaysExistsCause, fix: fmt.Sprintf(msgHolidaysExistsFix, year), err: err}
	}
	if err != nil {
		return fmt.Errorf(msgHolidaysWrite, path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf(msgHolidaysWrite, path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf(msgHolidaysWrite, path, err)
	}
	exact, estimates := 0, 0
	for _, h := range rules.HolidayTemplate(year) {
		if h.Estimate {
			estimates++
		} else {
			exact++
		}
	}
	fmt.Fprintf(env.stdout, msgHolidaysWritten+"\n", path, exact, estimates, rules.ConfirmPrefix, path)
	return nil
}
