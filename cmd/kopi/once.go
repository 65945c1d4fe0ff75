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
	configPath  string
	pushMetrics string // Pushgateway URL; empty pushes nothing
}

// runOnce parses `kopi once` flags: one cycle, for cron and Task Scheduler.
func runOnce(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "once", "[--config kopi.yaml] [--push-metrics URL]")
	var o onceOptions
	fs.StringVar(&o.configPath, "config", defaultConfigPath, "berkas konfigurasi")
	fs.StringVar(&o.pushMetrics, "push-metrics", "", msgFlagPushMetrics)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	return once(ctx, env, o)
}

// once runs one cycle and prints its summary; logs go to stderr.
func once(ctx context.Context, env *environment, o onceOptions) error {
	oc, err := openSession(ctx, env.stderr, o.configPath)
	if err != nil {
		return err
	}
	met := newMetrics()
	eng, ws, err := newEngine(ctx, wiring{
		cfg: oc.cfg, cal: oc.cal, google: oc.google,
		retrier: &google.Retrier{Logger: oc.logger, OnAttempt: met.onAttempt},
		now:     time.Now, logger: oc.logger,
		templatesDir: oc.resolve(oc.cfg.Mail.TemplatesDir),
	})
	if err != nil {
		return err
	}
	// A daemon serving the same spreadsheet would race this cycle: refuse
	// while one is alive (one read; once claims nothing, so overlapping
	// once runs are the job scheduler's to prevent).
	lock := ksync.NewLock(ksync.LockOptions{Store: google.NewHeartbeats(ws.Sheets), Host: hostName(runOptions{}), Location: oc.cfg.Location()})
	if err := lock.Check(ctx); err != nil {
		var held *ksync.HeldError
		if errors.As(err, &held) {
			return fmt.Errorf(msgLockRefused, err)
		}
		return explain(msgLockCheck, err, oc.cfg)
	}
	start := time.Now()
	rep, err := eng.RunCycle(ctx)
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
