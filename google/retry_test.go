package google_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/googleapi"

	"kopi/google"
	"kopi/google/fake"
)

func TestTransientThenPermanentStops(t *testing.T) {
	b := setup(t)
	b.fault(t,
		fake.Fault{Method: mGet, Status: 503, Times: 2},
		fake.Fault{Method: mGet, Status: 501},
	)
	err := b.get(context.Background())

	var pe *google.PermanentError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want *PermanentError", err)
	}
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != 501 {
		t.Fatalf("errors.As *googleapi.Error = %v, want code 501", ge)
	}
	if got, want := b.codes(), []int{503, 503, 501}; !slices.Equal(got, want) {
		t.Fatalf("attempt codes = %v, want %v", got, want)
	}
	if n := b.srv.Calls()[mGet]; n != 3 {
		t.Fatalf("fake saw %d calls, want 3", n)
	}
	waits := b.clock.waits()
	if len(waits) != 2 {
		t.Fatalf("waits = %v, want 2", waits)
	}
	// Full jitter: retry n waits in [0, base·2^(n-1)).
	for i, ceil := range []time.Duration{time.Second, 2 * time.Second} {
		if waits[i] < 0 || waits[i] >= ceil {
			t.Errorf("wait %d = %v, want in [0, %v)", i+1, waits[i], ceil)
		}
	}
}

func TestBackoffIsTruncatedExponential(t *testing.T) {
	b := setup(t)
	b.r.Rand = func() float64 { return 0.5 }
	b.r.Policy = google.Policy{Base: time.Second, Cap: 16 * time.Second, MaxAttempts: 8, MaxElapsed: time.Hour}
	b.fault(t, fake.Fault{Method: mGet, Status: 500, Times: -1})

	err := b.get(context.Background())
	var ee *google.ExhaustedError
	if !errors.As(err, &ee) || ee.Attempts != 8 {
		t.Fatalf("err = %v, want *ExhaustedError after 8 attempts", err)
	}
	s := time.Second
	want := []time.Duration{s / 2, s, 2 * s, 4 * s, 8 * s, 8 * s, 8 * s}
	if got := b.clock.waits(); !slices.Equal(got, want) {
		t.Fatalf("waits = %v, want %v", got, want)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		retryAfter string
		want       time.Duration
	}{
		{"seconds", "2", 2 * time.Second},
		{"zero", "0", 0},
		{"HTTP date", now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second},
		{"date in the past", now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"capped at MaxRetryAfter", "3600", 60 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			b.clock.now = now
			b.r.Policy.MaxElapsed = time.Hour
			b.fault(t,
				fake.Fault{Method: mGet, Status: 429, RetryAfter: tt.retryAfter},
				fake.Fault{Method: mGet, Status: 404},
			)
			err := b.get(context.Background())
			if !google.IsNotFound(err) {
				t.Fatalf("err = %v, want the final 404", err)
			}
			if got := b.clock.waits(); !slices.Equal(got, []time.Duration{tt.want}) {
				t.Fatalf("waits = %v, want [%v]", got, tt.want)
			}
		})
	}
}

func TestRetryAfterBeyondMaxElapsedGivesUp(t *testing.T) {
	b := setup(t)
	b.r.Policy.MaxElapsed = 45 * time.Second
	b.fault(t, fake.Fault{Method: mGet, Status: 429, RetryAfter: "30", Times: -1})

	err := b.get(context.Background())
	var ee *google.ExhaustedError
	if !errors.As(err, &ee) || ee.Attempts != 2 || !google.IsRateLimited(err) {
		t.Fatalf("err = %v, want *ExhaustedError after 2 attempts wrapping the 429", err)
	}
	// The second wait would end past MaxElapsed: no pointless sleep.
	if got := b.clock.waits(); !slices.Equal(got, []time.Duration{30 * time.Second}) {
		t.Fatalf("waits = %v", got)
	}
}

func TestMaxAttemptsBound(t *testing.T) {
	b := setup(t)
	b.r.Policy.MaxAttempts = 4
	b.fault(t, fake.Fault{Method: mGet, Status: 503, Times: -1})

	err := b.get(context.Background())
	var ee *google.ExhaustedError
	if !errors.As(err, &ee) || ee.Attempts != 4 || google.StatusCode(err) != 503 {
		t.Fatalf("err = %v, want *ExhaustedError after 4 attempts wrapping the 503", err)
	}
	if n := b.srv.Calls()[mGet]; n != 4 {
		t.Fatalf("fake saw %d calls, want 4", n)
	}
	if n := len(b.clock.waits()); n != 3 {
		t.Fatalf("%d waits, want 3", n)
	}
}

// TestStatusClassification is the retry rule over the wire: each case
// injects one fault and then a permanent 404, so "attempts" is 2 when the
// fault was retried and 1 when the loop stopped on it.
func TestStatusClassification(t *testing.T) {
	type outcome int
	const (
		retried outcome = iota
		permanent
		ambiguous
	)
	tests := []struct {
		name   string
		call   string // mGet (idempotent), mAppend or mSend (not)
		status int
		reason string
		want   outcome
	}{
		{"get 400", mGet, 400, "", permanent},
		{"get 401", mGet, 401, "", permanent},
		{"get 403 forbidden", mGet, 403, "", permanent},
		{"get 404", mGet, 404, "", permanent},
		{"get 409", mGet, 409, "", permanent},
		{"get 429", mGet, 429, "", retried},
		{"get 403 rateLimitExceeded", mGet, 403, "rateLimitExceeded", retried},
		{"get 403 userRateLimitExceeded", mGet, 403, "userRateLimitExceeded", retried},
		{"get 500", mGet, 500, "", retried},
		{"get 502", mGet, 502, "", retried},
		{"get 503", mGet, 503, "", retried},
		{"get 504", mGet, 504, "", retried},
		{"get 501", mGet, 501, "", permanent},
		{"append 400", mAppend, 400, "", permanent},
		{"append 429", mAppend, 429, "", retried},
		{"append 403 userRateLimitExceeded", mAppend, 403, "userRateLimitExceeded", retried},
		{"append 500", mAppend, 500, "", ambiguous},
		{"append 503", mAppend, 503, "", ambiguous},
		{"append 504", mAppend, 504, "", ambiguous},
		{"send 429", mSend, 429, "", retried},
		{"send 502", mSend, 502, "", ambiguous},
		{"send 403 dailyLimitExceeded", mSend, 403, "dailyLimitExceeded", permanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			b.fault(t,
				fake.Fault{Method: tt.call, Status: tt.status, Reason: tt.reason},
				fake.Fault{Method: tt.call, Status: 404},
			)
			var err error
			switch tt.call {
			case mGet:
				err = b.get(context.Background())
			case mAppend:
				err = b.appendRow(context.Background())
			case mSend:
				err = b.send(context.Background())
			}
			var pe *google.PermanentError
			var ae *google.AmbiguousError
			switch tt.want {
			case retried:
				if got := b.codes(); len(got) != 2 || got[1] != 404 || !errors.As(err, &pe) {
					t.Fatalf("codes %v, err %v: want a retry ending on the 404", got, err)
				}
			case permanent:
				if !errors.As(err, &pe) || pe.Attempts != 1 || google.StatusCode(err) != tt.status {
					t.Fatalf("err = %v, want *PermanentError after 1 attempt with %d", err, tt.status)
				}
			case ambiguous:
				if !errors.As(err, &ae) || ae.Attempts != 1 || google.StatusCode(err) != tt.status {
					t.Fatalf("err = %v, want *AmbiguousError after 1 attempt with %d", err, tt.status)
				}
			}
			if tt.want != retried && len(b.clock.waits()) != 0 {
				t.Fatalf("slept %v before giving up", b.clock.waits())
			}
		})
	}
}

func TestDroppedResponse(t *testing.T) {
	tests := []struct {
		name string
		path string // URL path fragment whose response is lost
		do   func(*bundle) error
		want string // "ambiguous" or "retried"
	}{
		{"values.append is ambiguous", ":append", func(b *bundle) error { return b.appendRow(context.Background()) }, "ambiguous"},
		{"messages.send is ambiguous", "/messages/send", func(b *bundle) error { return b.send(context.Background()) }, "ambiguous"},
		{"spreadsheets.get is retried", "/v4/spreadsheets/", func(b *bundle) error { return b.get(context.Background()) }, "retried"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := fake.New(fake.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = srv.Close() })
			hc := srv.HTTPClient()
			hc.Transport = &dropTransport{base: hc.Transport, match: tt.path, times: 1}
			b := setupWith(t, srv, google.Options{Endpoint: srv.URL(), HTTPClient: hc})
			b.fault(t, fake.Fault{Method: "*", Status: 404, Times: 2})

			err = tt.do(b)
			total := srv.TotalCalls()
			var ae *google.AmbiguousError
			switch tt.want {
			case "ambiguous":
				if !errors.As(err, &ae) || ae.Attempts != 1 || total != 1 {
					t.Fatalf("err = %v after %d calls, want *AmbiguousError after exactly 1", err, total)
				}
				if google.Classify(ae.Err) != google.Ambiguous {
					t.Fatalf("cause %v classified %v", ae.Err, google.Classify(ae.Err))
				}
			case "retried":
				if !google.IsNotFound(err) || total != 2 {
					t.Fatalf("err = %v after %d calls, want the 404 of a second attempt", err, total)
				}
			}
		})
	}
}

// TestDropAfterHandlingFault uses the fake's own fault; it needs the
// method's handler, which other branches are building.
func TestDropAfterHandlingFault(t *testing.T) {
	for _, tc := range []struct {
		method string
		do     func(*bundle) error
	}{
		{mAppend, func(b *bundle) error { return b.appendRow(context.Background()) }},
		{mSend, func(b *bundle) error { return b.send(context.Background()) }},
	} {
		t.Run(tc.method, func(t *testing.T) {
			b := setup(t)
			b.fault(t, fake.Fault{Method: tc.method, DropAfterHandling: true})
			err := tc.do(b)
			if google.StatusCode(err) == http.StatusNotImplemented {
				t.Skipf("the fake has no %s handler yet; dropAfterHandling drops only handled calls", tc.method)
			}
			var ae *google.AmbiguousError
			if !errors.As(err, &ae) || ae.Attempts != 1 || b.srv.Calls()[tc.method] != 1 {
				t.Fatalf("err = %v, calls %v: want *AmbiguousError after exactly 1 call", err, b.srv.Calls())
			}
		})
	}
}

// TestTimeout drives a real client timeout over loopback: the fake delays
// the answer past the client's deadline.
func TestTimeout(t *testing.T) {
	srv, err := fake.New(fake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	hc := srv.HTTPClient()
	hc.Timeout = 50 * time.Millisecond
	b := setupWith(t, srv, google.Options{Endpoint: srv.URL(), HTTPClient: hc})
	b.fault(t,
		fake.Fault{Method: mAppend, DelayMs: 300},
		fake.Fault{Method: mGet, DelayMs: 300},
		fake.Fault{Method: "*", Status: 404},
	)

	err = b.appendRow(context.Background())
	var ae *google.AmbiguousError
	if !errors.As(err, &ae) || ae.Attempts != 1 {
		t.Fatalf("append: err = %v, want *AmbiguousError after 1 attempt", err)
	}
	if err := b.get(context.Background()); !google.IsNotFound(err) {
		t.Fatalf("get: err = %v, want a retry ending on the 404", err)
	}
}

// TestConnectionRefusedIsRetriedEvenForWrites: a request that never left
// the machine changed nothing, so a send may be tried again.
func TestConnectionRefusedIsRetriedEvenForWrites(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	b := setupWith(t, nil, google.Options{Endpoint: "http://" + addr})
	b.r.Policy.MaxAttempts = 3
	b.r.Policy.MaxUnreachable = 3

	err = b.send(context.Background())
	var ee *google.ExhaustedError
	if !errors.As(err, &ee) || ee.Attempts != 3 {
		t.Fatalf("err = %v, want *ExhaustedError after 3 attempts", err)
	}
	if google.Classify(ee.Err) != google.Retryable {
		t.Fatalf("refused connection classified %v", google.Classify(ee.Err))
	}
	if got := b.codes(); !slices.Equal(got, []int{0, 0, 0}) {
		t.Fatalf("attempt codes = %v, want no HTTP status", got)
	}
}

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	b := setup(t)
	b.r.Clock = google.SystemClock{}
	b.r.Policy = google.Policy{Base: time.Hour, Cap: time.Hour, MaxElapsed: 24 * time.Hour}
	b.r.Rand = func() float64 { return 0.99 }
	b.fault(t, fake.Fault{Method: mGet, Status: 503, Times: -1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.r.OnAttempt = func(google.Attempt) { time.AfterFunc(20*time.Millisecond, cancel) }

	start := time.Now()
	err := b.get(ctx)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("Do returned after %v", took)
	}
	var pe *google.PermanentError
	if !errors.As(err, &pe) || !errors.Is(err, context.Canceled) || google.StatusCode(err) != 503 {
		t.Fatalf("err = %v, want *PermanentError wrapping context.Canceled and the 503", err)
	}
	if n := b.srv.Calls()[mGet]; n != 1 {
		t.Fatalf("fake saw %d calls, want 1", n)
	}
}

// TestCancelDuringWrite: a write in flight when the caller gives up may
// still land, so the answer is ambiguous, not a clean cancellation.
func TestCancelDuringWrite(t *testing.T) {
	b := setup(t)
	b.fault(t, fake.Fault{Method: mAppend, DelayMs: 400})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()

	err := b.appendRow(ctx)
	var ae *google.AmbiguousError
	if !errors.As(err, &ae) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want *AmbiguousError wrapping the deadline", err)
	}
}

func TestCancelledBeforeFirstAttempt(t *testing.T) {
	b := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := b.appendRow(ctx)
	if !errors.Is(err, context.Canceled) || b.srv.TotalCalls() != 0 {
		t.Fatalf("err = %v after %d calls, want context.Canceled and no call", err, b.srv.TotalCalls())
	}
}

func TestLogsWhenFailureChangesNotEveryAttempt(t *testing.T) {
	b := setup(t)
	b.r.Policy.MaxAttempts = 10
	b.r.Policy.MaxElapsed = time.Hour
	b.fault(t,
		fake.Fault{Method: mGet, Status: 503, Times: 3, Message: "pemohon@example.go.id"},
		fake.Fault{Method: mGet, Status: 429, Times: 2},
		fake.Fault{Method: mGet, Status: 503, Times: 1},
		fake.Fault{Method: mGet, Status: 404},
	)
	_ = b.get(context.Background())

	logs := b.logText()
	if n := strings.Count(logs, "dicoba lagi"); n != 3 {
		t.Fatalf("%d 'dicoba lagi' records over 503,503,503,429,429,503, want 3:\n%s", n, logs)
	}
	if strings.Contains(logs, "pemohon@") {
		t.Fatalf("logs carry the error message text:\n%s", logs)
	}
}

func TestLogsRecovery(t *testing.T) {
	b := setup(t)
	b.fault(t, fake.Fault{Method: mGet, Status: 503})
	// No handler yet means 501, a permanent error; a success needs one,
	// so the fake's calls are wrapped in a Do that succeeds on try 2.
	n := 0
	err := b.r.Do(context.Background(), google.Idempotent(mGet), func(ctx context.Context) error {
		n++
		_, err := b.svc.Sheets.Spreadsheets.Get("x").Context(ctx).Do()
		if n == 2 {
			return nil
		}
		return err
	})
	if err != nil || !strings.Contains(b.logText(), "pulih") {
		t.Fatalf("err = %v, logs:\n%s", err, b.logText())
	}
	if got := b.codes(); !slices.Equal(got, []int{503, 200}) {
		t.Fatalf("codes = %v", got)
	}
}

func TestOnAttemptReportsMethodAndStatus(t *testing.T) {
	b := setup(t)
	b.fault(t,
		fake.Fault{Method: mAppend, Status: 429},
		fake.Fault{Method: mAppend, Status: 400},
	)
	_ = b.appendRow(context.Background())
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.attempts) != 2 {
		t.Fatalf("attempts = %+v", b.attempts)
	}
	for i, want := range []google.Attempt{
		{Method: mAppend, N: 1, Code: 429, Class: google.Retryable},
		{Method: mAppend, N: 2, Code: 400, Class: google.Permanent},
	} {
		got := b.attempts[i]
		got.Duration = 0
		if got != want {
			t.Errorf("attempt %d = %+v, want %+v", i+1, got, want)
		}
	}
}

func TestDoValueReturnsTheValue(t *testing.T) {
	r := &google.Retrier{Clock: &fakeClock{}}
	calls := 0
	got, err := google.DoValue(context.Background(), r, google.Idempotent("x.get"), func(context.Context) (string, error) {
		calls++
		if calls == 1 {
			return "", &googleapi.Error{Code: 503}
		}
		return "ok", nil
	})
	if err != nil || got != "ok" || calls != 2 {
		t.Fatalf("got %q, %v after %d calls", got, err, calls)
	}
}
