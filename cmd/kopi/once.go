package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
	fs.BoolVar(&o.reconcile, "reconcile", false, "baca ulang semua tanggapan formulir (rekonsiliasi; otomatis sekali sehari, setelah siklus pertama yang ada pekerjaannya)")
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
// responses.list (three calls). That holds however old the cached forms
// are: forms.get runs before the cycle only when a form has no cached
// record yet, and when a response shows its form changed (then the cycle
// runs again on the fresh questions). A cached form a day old
// (google.FormCacheMaxAge) is read again only after a busy cycle — one
// that took a response in or sent an email — so after its emails; that
// run also reconciles (lists every response) before the re-read, the
// daily reconciliation that before rode on an idle run's re-read.
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
	// The forms, each with the refresh that reads it again and whether
	// its cached record is a day old (read again after a busy cycle).
	type form struct {
		changed error
		refresh func(context.Context, *rules.Config, *google.Preloaded, time.Time) error
		wrap    string
		aged    bool
	}
	intake := &form{changed: google.ErrFormChanged, refresh: ws.RefreshForm, wrap: "%w"}
	all := []*form{intake}
	refresh := func(f *form) error {
		if err := f.refresh(ctx, w.cfg, pre, w.now()); err != nil {
			return fmt.Errorf(f.wrap, err)
		}
		f.aged = false
		return nil
	}
	// A form without a usable record, or whose record no longer fits the
	// config (a question title edited in both), is read before the cycle.
	cached := pre.Form.Usable(w.cfg.Intake.FormID)
	if !cached || ws.UseForm(w.cfg, pre.Form.Info) != nil {
		err = refresh(intake)
	} else {
		intake.aged = !pre.Form.Fresh(w.cfg.Intake.FormID, w.now())
	}
	if err != nil {
		return explain(msgConnect, err, oc.cfg)
	}
	if w.cfg.Survey.FormID != "" {
		survey := &form{changed: google.ErrSurveyFormChanged, refresh: ws.RefreshSurvey, wrap: msgConnectSurvey}
		all = append(all, survey)
		if !pre.Survey.Usable(w.cfg.Survey.FormID) || ws.UseSurvey(w.cfg, pre.Survey.Info) != nil {
			err = refresh(survey)
		} else {
			survey.aged = !pre.Survey.Fresh(w.cfg.Survey.FormID, w.now())
		}
		if err != nil {
			return explain(msgConnect, err, oc.cfg)
		}
	}
	// run runs a cycle; when the cached questions of a form are stale,
	// it reads that form and runs again (each form at most once per run;
	// the intake form is listed first).
	refreshed := map[*form]bool{}
	run := func(reconcile bool) (*ksync.Report, error, error) {
		rep, err := onceCycle(ctx, ws, w, reconcile)
		for _, f := range all {
			if !errors.Is(err, f.changed) || refreshed[f] {
				continue
			}
			refreshed[f] = true
			if err := refresh(f); err != nil {
				return nil, nil, err
			}
			rep, err = onceCycle(ctx, ws, w, reconcile)
		}
		return rep, err, nil
	}
	start := time.Now()
	rep, err, ferr := run(o.reconcile || !cached)
	if ferr != nil {
		return explain(msgConnect, ferr, oc.cfg)
	}
	reps := []*ksync.Report{rep}
	// The daily re-read of a day-old form, after a busy cycle (its
	// emails sent): first the day's reconciliation, whose cycle decodes
	// on the cached question ids as the busy one did, then forms.get and
	// the record. A run that dies between the two loses nothing: the
	// record stays old and the next busy cycle reconciles and reads
	// again.
	if err == nil && rep.Busy() && slices.ContainsFunc(all, func(f *form) bool { return f.aged }) {
		var again *ksync.Report
		again, err, ferr = run(true)
		if ferr != nil {
			return explain(msgConnect, ferr, oc.cfg)
		}
		reps = append(reps, again)
		for _, f := range all {
			if err == nil && f.aged {
				ferr = refresh(f)
			}
			if ferr != nil {
				break
			}
		}
	}
	if o.pushMetrics != "" {
		pushCycle(ctx, oc.logger, o.pushMetrics, oc.cfg.Tracker.SpreadsheetID, met, time.Now(), time.Since(start), rep, err)
	}
	if err != nil {
		return explain(msgCycle, err, oc.cfg)
	}
	for _, rep := range reps {
		fmt.Fprintf(env.stdout, msgOnceDone+"\n", summarize(rep), decimal(rep.DurationSec, 1))
	}
	if last := reps[len(reps)-1]; len(last.Problems) > 0 {
		// Problems are the tracker's own remarks (a renamed header, an
		// unknown status), written for the admin without personal data.
		fmt.Fprintln(env.stdout, msgProblemsTitle)
		for _, p := range last.Problems {
			fmt.Fprintln(env.stdout, "- "+p)
		}
	}
	if ferr != nil {
		// The cycle's work is done; the form could not be read again
		// (e.g. a configured question title is gone from it).
		return explain(msgConnect, ferr, oc.cfg)
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
