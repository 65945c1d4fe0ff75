package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"kopi/google"
	"kopi/rules"
	ksync "kopi/sync"
)

// runOptions are the flags of `kopi run`, and what tests inject.
type runOptions struct {
	configPath string
	// clock is the daemon's time source; nil is the real clock.
	clock Clock
	// host names this machine in the heartbeat; "" asks the system.
	host string
	// grace bounds (real time) how long the running cycle may go on
	// after a shutdown signal before it is cancelled; 0 means 30s.
	grace time.Duration
	// started, if set, is told the HTTP address (may be "") once the
	// spreadsheet is claimed and the listener is up.
	started func(httpAddr string)
	// runAtStart runs a cycle at once (the command always does).
	runAtStart bool
	// wrap, if set, decorates the jobs (tests count calls per cycle).
	wrap func(jobs) jobs
}

// defaultGrace is how long a stopping daemon lets its cycle finish.
const defaultGrace = 30 * time.Second

// runDaemon parses `kopi run`.
func runDaemon(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "run", "[--config kopi.yaml]")
	o := runOptions{runAtStart: true}
	fs.StringVar(&o.configPath, "config", defaultConfigPath, "berkas konfigurasi")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	return daemon(ctx, env, o)
}

// hostName is the machine's name for the heartbeat record: what the
// operator needs to find the other instance, nothing personal.
func hostName(o runOptions) string {
	if o.host != "" {
		return o.host
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return msgHostUnknown
}

// daemon runs kopi until ctx is done: claim the spreadsheet, serve
// health and metrics, and run the scheduled cycles, digest and report.
// Stopping lets the current cycle finish within the grace period, shuts
// the listener and releases the claim so a successor starts at once.
func daemon(ctx context.Context, env *environment, o runOptions) error {
	oc, err := openSession(ctx, env.stderr, o.configPath)
	if err != nil {
		return err
	}
	clk := o.clock
	if clk == nil {
		clk = google.SystemClock{}
	}
	if o.grace <= 0 {
		o.grace = defaultGrace
	}
	met := newMetrics()
	eng, ws, err := newEngine(ctx, wiring{
		cfg: oc.cfg, cal: oc.cal, google: oc.google,
		retrier: &google.Retrier{Logger: oc.logger, Clock: clk, OnAttempt: met.onAttempt},
		now:     clk.Now, logger: oc.logger,
		templatesDir: oc.resolve(oc.cfg.Mail.TemplatesDir),
	})
	if err != nil {
		return err
	}
	forms := &formWatch{ws: ws, eng: eng, cfg: oc.cfg, now: clk.Now, read: clk.Now()}
	host := hostName(o)
	lock := ksync.NewLock(ksync.LockOptions{Store: google.NewHeartbeats(ws.Sheets), Host: host, Now: clk.Now, Location: oc.cfg.Location()})
	if err := lock.Acquire(ctx); err != nil {
		var held *ksync.HeldError
		if errors.As(err, &held) {
			return fmt.Errorf(msgLockRefused, err)
		}
		return explain(msgLockClaim, err, oc.cfg)
	}
	defer func() {
		// A fresh context: the daemon's own is already cancelled.
		rctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := lock.Release(rctx); err != nil {
			oc.logger.Warn("klaim spreadsheet tidak dilepas; kopi berikutnya menunggu sampai detak usang", "galat", err)
		}
	}()

	sc := oc.cfg.Schedule
	reports, err := reportSchedule(sc.ReportAt, oc.cfg.Location())
	if err != nil {
		return err
	}
	h := &health{
		now: clk.Now, loc: oc.cfg.Location(), failAfter: 3, staleAfter: max(3*sc.CycleOutside, 30*time.Minute),
		started: clk.Now(), instance: lock.Instance(), host: host, sheetURL: sheetLink(oc.cfg),
		officeOpen: oc.cal.IsOpen, lastBeat: lock.LastBeat(),
	}
	addr, shutdown, err := serveHTTP(oc.cfg.HTTP.Listen, h.handler(met))
	if err != nil {
		return listenError(fmt.Sprintf(msgHTTPListen, oc.cfg.HTTP.Listen), oc.cfg.HTTP.Listen, err)
	}
	defer shutdown(5 * time.Second)

	jb := daemonJobs(eng, forms, met, oc.logger, oc.cfg)
	if o.wrap != nil {
		jb = o.wrap(jb)
	}
	s := &scheduler{
		clock:   clk,
		cycles:  cycleSchedule{cal: oc.cal, office: sc.CycleOffice, outside: sc.CycleOutside},
		digests: openingSchedule{cal: oc.cal},
		reports: reports,
		jobs:    jb,
		lock:    lock, health: h, metrics: met, log: oc.logger,
		grace: o.grace, runAtStart: o.runAtStart,
		backoffBase: sc.CycleOffice, backoffMax: 15 * time.Minute,
	}
	oc.logger.Info(msgRunStarted, "instans", lock.Instance(), "http", addr,
		"siklus_jam_kerja", sc.CycleOffice.String(), "siklus_luar_jam_kerja", sc.CycleOutside.String())
	if o.started != nil {
		o.started(addr)
	}
	err = s.run(ctx)
	oc.logger.Info(msgRunStopped, "instans", lock.Instance())
	return err
}

// daemonJobs are the production jobs: the engine's cycle, the digest
// hook (the cycle that follows builds the digest) and the nightly report
// rebuild of the month that the night closes or continues.
//
// A failed cycle's error is explained for the operator (cause and fix in
// Indonesian) before the scheduler logs it.
func daemonJobs(eng *ksync.Engine, forms *formWatch, met *metrics, log *slog.Logger, cfg *rules.Config) jobs {
	return jobs{
		cycle: func(ctx context.Context) (*ksync.Report, error) {
			rep, err := eng.RunCycle(ctx)
			if forms.changed(err) {
				// A response answers a question the forms read did not
				// show: read them again and run the cycle on the fresh
				// questions (the failed cycle committed nothing).
				if err := forms.reread(ctx); err != nil {
					return rep, explain(msgConnect, err, cfg)
				}
				rep, err = eng.RunCycle(ctx)
			}
			if err == nil {
				if err := forms.afterCycle(ctx, rep); err != nil {
					return rep, explain(msgConnect, err, cfg)
				}
			}
			return rep, explain(msgCycle, err, cfg)
		},
		digest: func(ctx context.Context, now time.Time) {
			log.Info(msgDigestCycle)
			// Once a day the cycle also lists every response, for edits
			// the filtered listings may miss.
			eng.Reconcile()
		},
		report: func(ctx context.Context, now time.Time) error {
			return nightlyReport(ctx, eng, met, now)
		},
	}
}

// formWatch reads a daemon's forms again once a day. The daemon reads
// them at start and keeps them in memory (no state-tab cache); a day
// later (google.FormCacheMaxAge) it reads them again after its next busy
// cycle — one that took a response in or sent an email — so idle cycles
// stay at two calls and a busy cycle's calls before its first email do
// not change. Question ids are fixed for a question's life, so the
// questions read at start decode responses right meanwhile; the re-read
// picks up what no response shows: a title edit, a deleted question, a
// new responder link (the incomplete-request notice quotes it: the busy
// cycle's notices still carry the old one, the next cycle's the new). A
// failed re-read (a configured title gone) fails that cycle after its
// work, explained, and is tried again after the next busy cycle; the
// questions in use stay as they were.
type formWatch struct {
	ws   *google.Workspace
	eng  *ksync.Engine
	cfg  *rules.Config
	now  func() time.Time
	read time.Time // when the forms were last read
}

// afterCycle reads the forms again after a busy cycle once they are a
// day old, and gives the engine the fresh questions and link.
func (f *formWatch) afterCycle(ctx context.Context, rep *ksync.Report) error {
	if f == nil || rep == nil || !rep.Busy() || f.now().Sub(f.read) < google.FormCacheMaxAge {
		return nil
	}
	return f.reread(ctx)
}

// changed reports whether a cycle failed because a response answers a
// question the forms' last read did not show (a question replaced).
func (f *formWatch) changed(err error) bool {
	return f != nil && (errors.Is(err, google.ErrFormChanged) || errors.Is(err, google.ErrSurveyFormChanged))
}

// reread reads the forms and gives the engine the fresh questions and
// link.
func (f *formWatch) reread(ctx context.Context) error {
	if err := f.ws.ReadForm(ctx, f.cfg); err != nil {
		return err
	}
	f.eng.UseForm(f.ws.Questions, f.ws.FormURL)
	if f.cfg.Survey.FormID != "" {
		sf, err := google.ConnectSurvey(ctx, f.ws.Forms, f.cfg.Survey.FormID)
		if err != nil {
			return fmt.Errorf(msgConnectSurvey, err)
		}
		f.eng.UseSurvey(sf)
	}
	f.read = f.now()
	return nil
}
