package google

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"
)

// Policy bounds the retry loop. The zero value of a field means its
// default (see DefaultPolicy).
type Policy struct {
	// Base is the backoff ceiling of the first retry; it doubles per retry.
	Base time.Duration
	// Cap truncates the exponential growth of the backoff ceiling.
	Cap time.Duration
	// MaxAttempts counts the first try: 6 means one call and five retries.
	MaxAttempts int
	// MaxElapsed bounds the time from the first attempt to the start of
	// the last one; the loop does not sleep past it.
	MaxElapsed time.Duration
	// MaxRetryAfter caps how long a Retry-After header can make the loop
	// wait.
	MaxRetryAfter time.Duration
	// MaxUnreachable stops the loop after this many attempts in a row
	// that never reached Google (DNS failure, connection refused, no
	// route): an office network that is down stays down for longer than
	// a retry budget, so the operator hears "Google unreachable" within
	// seconds and the scheduler's own backoff spaces the next cycles.
	MaxUnreachable int
}

// DefaultPolicy is what a Retrier uses for unset fields: 1s base, 32s cap,
// 6 attempts, 2 minutes in all, Retry-After honoured up to 60s, 2
// attempts when Google cannot be reached at all. A poll
// cycle that runs out of budget fails and the next cycle tries again.
func DefaultPolicy() Policy {
	return Policy{
		Base:           time.Second,
		Cap:            32 * time.Second,
		MaxAttempts:    6,
		MaxElapsed:     2 * time.Minute,
		MaxRetryAfter:  60 * time.Second,
		MaxUnreachable: 2,
	}
}

func (p Policy) withDefaults() Policy {
	d := DefaultPolicy()
	if p.Base <= 0 {
		p.Base = d.Base
	}
	if p.Cap <= 0 {
		p.Cap = d.Cap
	}
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.MaxElapsed <= 0 {
		p.MaxElapsed = d.MaxElapsed
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = d.MaxRetryAfter
	}
	if p.MaxUnreachable <= 0 {
		p.MaxUnreachable = d.MaxUnreachable
	}
	return p
}

// backoff returns the full-jitter delay before retry number n (1 for the
// first retry): a uniform draw from [0, min(Cap, Base·2^(n-1))).
func (p Policy) backoff(n int, rnd func() float64) time.Duration {
	ceil := p.Base
	for i := 1; i < n && ceil < p.Cap; i++ {
		ceil *= 2
	}
	ceil = min(ceil, p.Cap)
	return time.Duration(rnd() * float64(ceil))
}

// Clock is the time source of the retry loop, injected so tests neither
// sleep nor depend on the wall clock.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done, returning ctx.Err() then.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits d with a timer that ctx can interrupt.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Call names an API call for the retry loop: its discovery method id
// (for logs and metrics) and whether repeating it is harmless.
type Call struct {
	Method     string
	Idempotent bool
}

// Idempotent describes a call that may be repeated after an ambiguous
// failure: reads, values.update, values.batchUpdate, drafts.delete.
func Idempotent(method string) Call { return Call{Method: method, Idempotent: true} }

// NonIdempotent describes a call whose repetition would duplicate its
// effect: values.append, messages.send, drafts.create, drafts.send, a
// spreadsheets.batchUpdate that adds sheets or rows, forms.create.
func NonIdempotent(method string) Call { return Call{Method: method} }

// Attempt is what the OnAttempt hook learns about each try.
type Attempt struct {
	Method string
	N      int // 1 for the first try
	// Code is the HTTP status Google answered: 200 on success, 0 when no
	// response arrived (transport failure, cancellation).
	Code     int
	Class    Class
	Duration time.Duration
}

// Retrier is kopi's one bounded retry loop around calls to Google. The
// official clients do not retry, so every adapter call goes through Do.
// The zero value is usable: default policy, system clock, no logging.
type Retrier struct {
	Policy Policy
	// Clock defaults to SystemClock.
	Clock Clock
	// Logger gets one record when a call's failure changes kind (and when
	// it recovers), not one per attempt. Nil discards.
	Logger *slog.Logger
	// OnAttempt, if set, is called after every attempt, e.g. to count
	// API calls by method and status for /metrics.
	OnAttempt func(Attempt)
	// Rand returns a float in [0, 1) for the jitter; nil uses math/rand/v2.
	Rand func() float64
}

// Do calls fn until it succeeds, fails permanently, fails ambiguously on a
// non-idempotent call, or the policy's budget runs out. fn must perform
// exactly one HTTP call with the ctx it is given (pass it to the
// generated client's Context method).
//
// The errors it returns, each wrapping the last failure so that
// errors.As(err, **googleapi.Error) keeps working:
//   - *PermanentError: a failure retrying cannot fix, or ctx ended;
//   - *AmbiguousError: a non-idempotent call may have been applied;
//   - *ExhaustedError: retryable failures outlasted MaxAttempts or
//     MaxElapsed.
//
// 429 and the rate-limit reasons are retried even for non-idempotent calls:
// Google checks quota before the method runs and answers with an error
// body, so the refused request did nothing. A 5xx gives no such promise
// (a 500 or 504 can follow a committed write), so it is Ambiguous.
func (r *Retrier) Do(ctx context.Context, call Call, fn func(context.Context) error) error {
	p := r.Policy.withDefaults()
	clock := r.Clock
	if clock == nil {
		clock = SystemClock{}
	}
	rnd := r.Rand
	if rnd == nil {
		rnd = rand.Float64
	}
	log := r.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	start := clock.Now()
	var (
		last        error
		lastLabel   string
		unreachable int // attempts in a row that never reached Google
	)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return &PermanentError{Method: call.Method, Attempts: n - 1, Err: withLast(err, last)}
		}
		t0 := clock.Now()
		err := fn(ctx)
		class, label := classify(err)
		if r.OnAttempt != nil {
			r.OnAttempt(Attempt{Method: call.Method, N: n, Code: attemptCode(err), Class: class, Duration: clock.Now().Sub(t0)})
		}
		if err == nil {
			if last != nil {
				log.Info("panggilan Google pulih", "method", call.Method, "attempts", n)
			}
			return nil
		}
		if ctx.Err() != nil {
			// The caller gave up while the request was in flight. A
			// response from Google keeps its meaning; a bare transport
			// failure means we cannot know whether a write landed.
			if StatusCode(err) == 0 && !call.Idempotent {
				return &AmbiguousError{Method: call.Method, Attempts: n, Err: err}
			}
			return &PermanentError{Method: call.Method, Attempts: n, Err: err}
		}
		switch {
		case class == Permanent:
			return &PermanentError{Method: call.Method, Attempts: n, Err: err}
		case class == Ambiguous && !call.Idempotent:
			return &AmbiguousError{Method: call.Method, Attempts: n, Err: err}
		}
		last = err
		if IsUnreachable(err) {
			unreachable++
		} else {
			unreachable = 0
		}

		elapsed := clock.Now().Sub(start)
		if n >= p.MaxAttempts || unreachable >= p.MaxUnreachable {
			return &ExhaustedError{Method: call.Method, Attempts: n, Elapsed: elapsed, Err: err}
		}
		wait := p.backoff(n, rnd)
		if ra, ok := RetryAfter(err, clock.Now()); ok {
			wait = min(ra, p.MaxRetryAfter)
		}
		if elapsed+wait > p.MaxElapsed {
			return &ExhaustedError{Method: call.Method, Attempts: n, Elapsed: elapsed, Err: err}
		}
		if label != lastLabel {
			// Once per kind of failure, not per attempt; the final error
			// is returned, not logged, and never the message text.
			log.Warn("panggilan Google gagal, dicoba lagi", "method", call.Method, "attempt", n,
				"class", class.String(), "failure", label, "code", StatusCode(err),
				"reason", Reason(err), "wait", wait)
			lastLabel = label
		}
		if err := clock.Sleep(ctx, wait); err != nil {
			return &PermanentError{Method: call.Method, Attempts: n, Err: withLast(err, last)}
		}
	}
}

// DoValue is Do for calls that return a value, such as a generated
// client's Do method.
func DoValue[T any](ctx context.Context, r *Retrier, call Call, fn func(context.Context) (T, error)) (T, error) {
	var out T
	err := r.Do(ctx, call, func(ctx context.Context) error {
		v, err := fn(ctx)
		if err == nil {
			out = v
		}
		return err
	})
	return out, err
}

// withLast joins the context's error with the failure that made the loop
// wait, so both errors.Is(err, context.Canceled) and errors.As to
// *googleapi.Error work.
func withLast(ctxErr, last error) error {
	if last == nil {
		return ctxErr
	}
	return fmt.Errorf("%w (after: %w)", ctxErr, last)
}

// attemptCode is the status the OnAttempt hook reports.
func attemptCode(err error) int {
	if err == nil {
		return 200
	}
	return StatusCode(err)
}
