// Command kopi runs the KOPI Terintegrasi consultation service of an
// Inspektorat Daerah on Google Workspace: it reads the intake Google Form,
// keeps the tracking Google Sheet and sends mail through Gmail.
//
// Usage:
//
//	kopi <perintah> [opsi]
//
// Run "kopi help" for the list of commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // WIB must be computable on Windows machines without a zoneinfo database
)

// command is one subcommand: a name, a one-line Indonesian summary for
// "kopi help" and the function that runs it.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *environment, args []string) error
}

// environment is what a subcommand may touch besides its arguments, so
// tests can run commands in-process.
type environment struct {
	stdout io.Writer
	stderr io.Writer
	// flags is the FlagSet the running command built (help.go).
	flags *flagSets
	// demoFinished, when set (by tests), sees the demo's Workspace after
	// the days have been played. A hook of this run, not of the package,
	// so that tests running demos side by side each see their own.
	demoFinished func(d *demoRun)
	// demoWebServing, when set (by tests), learns the web view's URL once
	// it listens, and sees the demo's Workspace.
	demoWebServing func(url string, d *demoRun)
	// demoLogJSON, when set (by tests), receives the demo's log in JSON
	// too (log.format json, the same level), beside stderr in the format
	// asked: one run gives the same records in both formats, where two
	// runs would play the same deterministic day twice.
	demoLogJSON io.Writer
	// now, when set (by tests), is the office clock of `kopi once` and
	// `kopi report`; nil is the real clock. Tests pin it to their fake
	// Workspace's time, so that what a cycle does (a reminder due, office
	// hours open) does not depend on the hour the suite runs at.
	now func() time.Time
}

// clock is the office clock of a one-shot command: the test hook, else
// the real clock.
func (e *environment) clock() func() time.Time {
	if e.now != nil {
		return e.now
	}
	return time.Now
}

// commands lists the subcommands in the order "kopi help" shows them.
func commands() []command {
	return []command{
		{"run", "jalankan daemon (siklus terjadwal, digest harian, laporan)", runDaemon},
		{"once", "jalankan satu siklus lalu keluar (untuk cron / Task Scheduler)", runOnce},
		{"init", "siapkan spreadsheet pelacakan (dan Google Form asupan)", runInit},
		{"auth", "masuk ke akun Google layanan (OAuth) dan simpan token", runAuth},
		{"report", "bangun ulang tab Laporan untuk satu bulan atau tahun (--month / --year)", runReport},
		{"check", "periksa konfigurasi, token, form, spreadsheet dan Gmail", runCheck},
		{"demo", "demo lengkap pada Workspace tiruan bawaan, tanpa akun Google", runDemo},
		{"service", "pasang/copot/mulai/hentikan kopi sebagai layanan (systemd, Windows)", runService},
		{"holidays", "tulis templat CSV hari libur nasional satu tahun (holidays template TAHUN)", runHolidays},
		{"fake-workspace", "jalankan Workspace tiruan (Forms, Sheets, Gmail) untuk pengujian", runFakeWorkspace},
		{"version", "tampilkan versi kopi", runVersion},
	}
}

// errUsage marks an error whose message is a usage problem (exit code 2).
var errUsage = errors.New("penggunaan salah")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &environment{stdout: os.Stdout, stderr: os.Stderr}
	if err := dispatchService(ctx, env, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "kopi:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// dispatch runs the subcommand named by args[0]. "kopi help CMD" is
// "kopi CMD --help": the command's help on stdout.
func dispatch(ctx context.Context, env *environment, args []string) error {
	if len(args) >= 2 && args[0] == "help" {
		args = append(append([]string{}, args[1:]...), "--help")
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.stdout)
		if len(args) == 0 {
			return fmt.Errorf("%w: sebutkan perintah", errUsage)
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return finishCommand(env, c.run(ctx, env, args[1:]))
		}
	}
	usage(env.stderr)
	return fmt.Errorf("%w: perintah %q tidak dikenal", errUsage, args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "kopi — layanan KOPI Terintegrasi di Google Workspace")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Penggunaan: kopi <perintah> [opsi]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Perintah:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-15s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Bantuan per perintah: kopi help <perintah> (atau kopi <perintah> --help)")
}
