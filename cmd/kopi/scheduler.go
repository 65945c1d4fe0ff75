package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"kopi/google"
	ksync "kopi/sync"
)

// Clock is the daemon's time source (the same shape as the retry loop's):
// the real clock in production; in tests a simulated one whose Sleep
// moves time forward at once, so a week of office time runs in
// milliseconds.
type Clock = google.Clock

// jobs are what the scheduler runs. Each gets the scheduler's context,
// which is cancelled only after the shutdown grace period.
type jobs struct {
	// cycle runs one intake/answer cycle.
	cycle func(ctx context.Context) (*ksync.Report, error)
	// digest is called at the start of office hours of a working day,
	// just before the cycle that then runs (which builds the digest).
	digest func(ctx context.Context, now time.Time)
	// report rebuilds the report sheet at night.
	report func(ctx context.Context, now time.Time) error
}

// scheduler is the daemon's loop. robfig/cron's runner reads the wall
// clock and its own timers, which a test cannot drive, so the loop asks
// cron.Schedule.Next itself — the schedules are cron's (a parsed spec for
// the report) or implement cron.Schedule (the calendar-aware cycle and
// digest) — and waits on the injected Clock. One loop runs every job in
// turn, so two cycles never run at once: a slow cycle delays the next,
// and the ticks it overran are skipped, not queued.
type scheduler struct {
	clock   Clock
	cycles  cron.Schedule
	digests cron.Schedule
	reports cron.Schedule
	jobs    jobs
	// lock, when set, is beaten every lock.Every() between jobs and
	// checked before each job; nil runs without a lock (tests).
	lock    *ksync.Lock
	health  *health
	metrics *metrics
	log     *slog.Logger
	// grace bounds, in real time, how long a running job may go on
	// after shutdown was asked before its context is cancelled.
	grace time.Duration
	// runAtStart runs a cycle as soon as the loop starts.
	runAtStart bool
	// lockRetry is when a failed beat or claim is tried again.
	lockRetry time.Time
	// backoffBase and backoffMax space cycles after repeated failures:
	// after the k-th failure in a row the next cycle waits
	// min(backoffMax, backoffBase·2^(k-1)).
	backoffBase, backoffMax time.Duration
}

// never stands for a schedule that will not fire (cron's zero time).
var never = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func nextOf(s cron.Schedule, t time.Time) time.Time {
	if s == nil {
		return never
	}
	n := s.Next(t)
	if n.IsZero() {
		return never
	}
	return n
}

// run loops until ctx is done (nil) or the lock is taken by another
// instance (a *ksync.HeldError).
func (s *scheduler) run(ctx context.Context) error {
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()
	stopGrace := context.AfterFunc(ctx, func() {
		time.AfterFunc(s.grace, cancelJobs)
	})
	defer stopGrace()

	now := s.clock.Now()
	nextCycle := nextOf(s.cycles, now)
	if s.runAtStart {
		nextCycle = now
	}
	nextDigest := nextOf(s.digests, now)
	nextReport := nextOf(s.reports, now)
	var backoffUntil time.Time
	for {
		s.health.setNext(nextCycle)
		due := minTime(nextCycle, nextDigest, nextReport)
		if s.lock != nil {
			due = minTime(due, maxTime(s.lock.LastBeat().Add(s.lock.Every()), s.lockRetry))
		}
		if err := s.sleepUntil(ctx, due); err != nil {
			return nil
		}
		now = s.clock.Now()
		if err := s.keepLock(jobCtx, now); err != nil {
			return err
		}
		if !s.holds(now) {
			// The lock could not be renewed (e.g. Google unreachable):
			// no job runs; the next beat tries again.
			nextCycle = maxTime(nextCycle, now.Add(time.Minute))
			continue
		}
		digest := !now.Before(nextDigest)
		if digest {
			nextDigest = nextOf(s.digests, now)
		}
		if digest || !now.Before(nextCycle) {
			// The opening cycle runs even while backing off: the day's
			// digest gets its attempt on time.
			if digest || !now.Before(backoffUntil) {
				if digest {
					s.metrics.digest()
					s.jobs.digest(jobCtx, now)
				}
				backoffUntil = s.cycle(jobCtx, backoffUntil)
			} else {
				s.metrics.cycle("dilewati", 0, nil)
			}
			nextCycle = nextOf(s.cycles, s.clock.Now())
		}
		if !now.Before(nextReport) {
			if err := s.jobs.report(jobCtx, now); err != nil {
				s.log.Warn("bangun ulang laporan gagal", "galat", err)
			}
			nextReport = nextOf(s.reports, s.clock.Now())
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

// holds reports whether jobs may run (always, without a lock).
func (s *scheduler) holds(now time.Time) bool { return s.lock == nil || s.lock.Held(now) }

// keepLock beats when a beat is due, and claims again when this
// instance's hold lapsed (beats failed for too long). It returns an error
// only when another instance holds the spreadsheet.
func (s *scheduler) keepLock(ctx context.Context, now time.Time) error {
	if s.lock == nil || now.Before(s.lockRetry) {
		return nil
	}
	if s.lock.Held(now) {
		if !s.lock.Due(now) {
			return nil
		}
		err := s.lock.Beat(ctx)
		s.metrics.beat(err)
		if err == nil {
			s.health.setBeat(s.lock.LastBeat())
			return nil
		}
		if !errors.Is(err, ksync.ErrLockLost) {
			s.log.Warn(msgBeatFailed, "galat", err)
			s.lockRetry = now.Add(time.Minute)
			return nil
		}
	}
	if err := s.lock.Acquire(ctx); err != nil {
		var held *ksync.HeldError
		if errors.As(err, &held) {
			return err
		}
		s.metrics.beat(err)
		s.log.Warn(msgLockRenew, "galat", err)
		s.lockRetry = now.Add(time.Minute)
		return nil
	}
	s.metrics.beat(nil)
	s.health.setBeat(s.lock.LastBeat())
	return nil
}

// cycle runs one cycle, records it and returns the new backoff bound.
func (s *scheduler) cycle(ctx context.Context, backoffUntil time.Time) time.Time {
	start := time.Now()
	rep, err := s.jobs.cycle(ctx)
	took := time.Since(start)
	now := s.clock.Now()
	if err != nil {
		s.metrics.cycle("gagal", took, nil)
		if ctx.Err() != nil {
			// Shutdown's grace period ran out mid-cycle: what the cycle
			// committed stands, the rest is redone by the next start.
			s.log.Warn(msgCycleCut, "galat", err)
			return now
		}
		n, changed := s.health.failed(now, err)
		// Logged once: on the first failure and when the error changes,
		// not on every retry.
		if n == 1 || changed {
			s.log.Error("siklus gagal; dicoba lagi pada jadwal berikutnya", "gagal_beruntun", n, "galat", err)
		} else {
			s.log.Debug("siklus masih gagal", "gagal_beruntun", n)
		}
		wait := s.backoffBase << min(n-1, 20)
		if wait > s.backoffMax || wait <= 0 {
			wait = s.backoffMax
		}
		return now.Add(wait)
	}
	s.metrics.cycle("berhasil", took, rep)
	if prev := s.health.succeeded(now, took, rep); prev > 0 {
		s.log.Info("siklus pulih", "setelah_gagal", prev)
	}
	// Responses alone are no news: the cursor's overlap re-reads the
	// last ones every cycle.
	if rep != nil && (rep.NewCases > 0 || rep.Updated > 0 || rep.Sent > 0 || rep.Failed > 0 || rep.Deferred > 0 || rep.Withdrawn > 0 || rep.EditsNoted > 0 || rep.Deleted > 0) {
		s.log.Info("siklus selesai", "tanggapan", rep.Responses, "kasus_baru", rep.NewCases,
			"baris_diperbarui", rep.Updated, "email_terkirim", rep.Sent, "email_ditunda", rep.Deferred, "email_gagal", rep.Failed,
			"pengingat_ditarik", rep.Withdrawn)
	}
	return time.Time{}
}

// sleepUntil waits until the clock reaches t, in steps of at most a
// minute so that a wall clock that jumps (a suspended machine) is noticed.
func (s *scheduler) sleepUntil(ctx context.Context, t time.Time) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := t.Sub(s.clock.Now())
		if d <= 0 {
			return nil
		}
		if err := s.clock.Sleep(ctx, min(d, time.Minute)); err != nil {
			return err
		}
	}
}

func minTime(ts ...time.Time) time.Time {
	m := ts[0]
	for _, t := range ts[1:] {
		if t.Before(m) {
			m = t
		}
	}
	return m
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
