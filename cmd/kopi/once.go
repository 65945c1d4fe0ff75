package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kopi/google"
	"kopi/rules"
	ksync "kopi/sync"
)

// onceOptions are the flags of `kopi once`.
type onceOptions struct {
	configPath  string
	pushMetrics string // Pushgateway URL; empty pushes nothing
	reconcile   bool
}

// runOnce parses `kopi once` flags: one cycle, for cron and Task Scheduler.
func runOnce(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "once", "[--config kopi.yaml] [--push-metrics URL] [--reconcile]")
	var o onceOptions
	fs.StringVar(&o.configPath, "config", defaultConfigPath, "berkas konfigurasi")
	fs.StringVar(&o.pushMetrics, "push-metrics", "", msgFlagPushMetrics)
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
// read, and responses.list; with a survey form configured, a second
// responses.list (three calls). forms.get runs only when a cached form is
// missing or a day old, or when a response shows its form changed (then
// the cycle runs again on the fresh questions).
func once(ctx context.Context, env *environment, o onceOptions) error {
	oc, err := openSession(ctx, env.stderr, o.configPath)
	if err != nil {
		return err
	}
	met := newMetrics()
	w := wiring{
		cfg: oc.cfg, cal: oc.cal, google: oc.google,
		retrier: &google.Retrier{Logger: oc.logger, OnAttempt: met.onAttempt},
		now:     env.clock(), logger: oc.logger,
		templatesDir: oc.resolve(oc.cfg.Mail.TemplatesDir),
	}
	gopts := w.google
	gopts.DeferForm = true
	ws, err := google.Connect(ctx, w.cfg, gopts, w.retrier, w.now)
	if err != nil {
		return explain(msgConnect, err, oc.cfg)
	}
	pre, err := ws.Tracker.Preload(ctx)
	if err != nil {
		return explain(msgCycle, fmt.Errorf("read tracker: %w", err), oc.cfg)
	}
	// A daemon serving the same spreadsheet would race this cycle: refuse
	// while one is alive (once claims nothing, so overlapping once runs
	// are the job scheduler's to prevent).
	lock := ksync.NewLock(ksync.LockOptions{Store: google.NewPreloadedBeats(ws.Sheets, pre), Host: hostName(runOptions{}), Now: w.now, Location: oc.cfg.Location()})
	if err := lock.Check(ctx); err != nil {
		var held *ksync.HeldError
		if errors.As(err, &held) {
			return fmt.Errorf(msgLockRefused, err)
		}
		return explain(msgLockCheck, err, oc.cfg)
	}
	fresh := pre.Form.Fresh(w.cfg.Intake.FormID, w.now())
	if fresh {
		err = ws.UseForm(w.cfg, pre.Form.Info)
	} else {
		err = ws.RefreshForm(ctx, w.cfg, pre, w.now())
	}
	if err != nil {
		return explain(msgConnect, err, oc.cfg)
	}
	if w.cfg.Survey.FormID != "" {
		if pre.Survey.Fresh(w.cfg.Survey.FormID, w.now()) {
			err = ws.UseSurvey(w.cfg, pre.Survey.Info)
		} else {
			err = ws.RefreshSurvey(ctx, w.cfg, pre, w.now())
		}
		if err != nil {
			return explain(msgConnect, fmt.Errorf(msgConnectSurvey, err), oc.cfg)
		}
	}
	start := time.Now()
	rep, err := onceCycle(ctx, ws, w, o.reconcile || !fresh)
	// The cached questions of a form are stale: read that form and run
	// again (each form at most once; the intake form is listed first).
	for _, f := range []struct {
		changed error
		refresh func(context.Context, *rules.Config, *google.Preloaded, time.Time) error
		wrap    string
	}{
		{google.ErrFormChanged, ws.RefreshForm, "%w"},
		{google.ErrSurveyFormChanged, ws.RefreshSurvey, msgConnectSurvey},
	} {
		if !errors.Is(err, f.changed) {
			continue
		}
		if err := f.refresh(ctx, w.cfg, pre, w.now()); err != nil {
			return explain(msgConnect, fmt.Errorf(f.wrap, err), oc.cfg)
		}
		rep, err = onceCycle(ctx, ws, w, o.reconcile || !fresh)
	}
	if o.pushMetrics != "" {
		pushCycle(ctx, oc.logger, o.pushMetrics, oc.cfg.Tracker.SpreadsheetID, met, time.Now(), time.Since(start), rep, err)
	}
	if err != nil {
		return explain(msgCycle, err, oc.cfg)
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

// onceCycle wires an engine on ws and runs one cycle; reconcile makes
// it list every response (on request, and daily with the form's
// refresh), for edits the filtered listings may miss.
func onceCycle(ctx context.Context, ws *google.Workspace, w wiring, reconcile bool) (*ksync.Report, error) {
	eng, err := engineOn(ctx, ws, w)
	if err != nil {
		return nil, err
	}
	if reconcile {
		eng.Reconcile()
	}
	return eng.RunCycle(ctx)
}
