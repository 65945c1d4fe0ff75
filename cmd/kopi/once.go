package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kopi/google"
	ksync "kopi/sync"
)

// onceOptions are the flags of `kopi once`.
type onceOptions struct {
	configPath string
	reconcile  bool
}

// runOnce parses `kopi once` flags: one cycle, for cron and Task Scheduler.
func runOnce(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "once", "[--config kopi.yaml] [--reconcile]")
	var o onceOptions
	fs.StringVar(&o.configPath, "config", defaultConfigPath, "berkas konfigurasi")
	fs.BoolVar(&o.reconcile, "reconcile", false, "baca ulang semua tanggapan formulir (rekonsiliasi; otomatis sekali sehari)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	return once(ctx, env, o)
}

// once runs one cycle and prints its summary; logs go to stderr.
//
// An idle run costs two API calls: one spreadsheets.get that serves the
// instance-lock check, the cached intake form and the cycle's tracker
// read, and responses.list. forms.get runs only when the cached form is
// missing or a day old, or when a response shows the form changed (then
// the cycle runs again on the fresh questions).
func once(ctx context.Context, env *environment, o onceOptions) error {
	oc, err := openSession(ctx, env.stderr, o.configPath)
	if err != nil {
		return err
	}
	w := wiring{
		cfg: oc.cfg, cal: oc.cal, google: oc.google,
		retrier: &google.Retrier{Logger: oc.logger},
		now:     time.Now, logger: oc.logger,
		templatesDir: oc.resolve(oc.cfg.Mail.TemplatesDir),
	}
	gopts := w.google
	gopts.DeferForm = true
	ws, err := google.Connect(ctx, w.cfg, gopts, w.retrier, w.now)
	if err != nil {
		return fmt.Errorf(msgConnect, err)
	}
	pre, err := ws.Tracker.Preload(ctx)
	if err != nil {
		return fmt.Errorf(msgCycle, fmt.Errorf("read tracker: %w", err))
	}
	// A daemon serving the same spreadsheet would race this cycle: refuse
	// while one is alive (once claims nothing, so overlapping once runs
	// are the job scheduler's to prevent).
	lock := ksync.NewLock(ksync.LockOptions{Store: google.NewPreloadedBeats(ws.Sheets, pre), Host: hostName(runOptions{}), Location: oc.cfg.Location()})
	if err := lock.Check(ctx); err != nil {
		var held *ksync.HeldError
		if errors.As(err, &held) {
			return fmt.Errorf(msgLockRefused, err)
		}
		return fmt.Errorf(msgLockCheck, err)
	}
	fresh := pre.Form.Fresh(w.cfg.Intake.FormID, w.now())
	if fresh {
		err = ws.UseForm(w.cfg, pre.Form.Info)
	} else {
		err = ws.RefreshForm(ctx, w.cfg, pre, w.now())
	}
	if err != nil {
		return fmt.Errorf(msgConnect, err)
	}
	eng, err := engineOn(ws, w)
	if err != nil {
		return err
	}
	if o.reconcile || !fresh {
		// On request, and daily with the form's refresh: every response
		// is listed, for edits the filtered listings may miss.
		eng.Reconcile()
	}
	rep, err := eng.RunCycle(ctx)
	if errors.Is(err, google.ErrFormChanged) {
		// The cached questions are stale: read the form and run again.
		if err := ws.RefreshForm(ctx, w.cfg, pre, w.now()); err != nil {
			return fmt.Errorf(msgConnect, err)
		}
		if eng, err = engineOn(ws, w); err != nil {
			return err
		}
		if o.reconcile || !fresh {
			eng.Reconcile()
		}
		rep, err = eng.RunCycle(ctx)
	}
	if err != nil {
		return fmt.Errorf(msgCycle, err)
	}
	fmt.Fprintf(env.stdout, msgOnceDone+"\n", summarize(rep), decimal(rep.DurationSec, 1))
	if len(rep.Problems) > 0 {
		// Problems are the tracker's own remarks (a renamed header, an
		// unknown status), written for the admin without personal data.
		fmt.Fprintln(env.stdout, msgProblemsTitle)
		for _, p := range rep.Problems {
			fmt.Fprintln(env.stdout, "- "+p)
		}
	}
	return nil
}
