package google_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/google/fake"
)

// Method ids as the fake counts them and as the adapters name calls.
const (
	mGet    = "sheets.spreadsheets.get"
	mAppend = "sheets.spreadsheets.values.append"
	mSend   = "gmail.users.messages.send"
)

// bundle is a retry test's world: the fake Workspace over loopback HTTP,
// the official clients pointed at it, a Retrier with a fake clock, and
// what the Retrier reported.
type bundle struct {
	srv   *fake.Server
	svc   *google.Services
	clock *fakeClock
	r     *google.Retrier
	logs  *bytes.Buffer

	mu       sync.Mutex
	attempts []google.Attempt
}

func setup(t *testing.T) *bundle {
	t.Helper()
	srv, err := fake.New(fake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return setupWith(t, srv, google.Options{Endpoint: srv.URL(), HTTPClient: srv.HTTPClient()})
}

func setupWith(t *testing.T, srv *fake.Server, opts google.Options) *bundle {
	t.Helper()
	svc, err := google.NewServices(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	b := &bundle{
		srv:   srv,
		svc:   svc,
		clock: &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)},
		logs:  &bytes.Buffer{},
	}
	b.r = &google.Retrier{
		Clock:  b.clock,
		Logger: slog.New(slog.NewTextHandler(lockedWriter{w: b.logs, mu: &b.mu}, nil)),
		OnAttempt: func(a google.Attempt) {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.attempts = append(b.attempts, a)
		},
	}
	return b
}

// fault queues faults on the fake.
func (b *bundle) fault(t *testing.T, faults ...fake.Fault) {
	t.Helper()
	for _, f := range faults {
		if err := b.srv.AddFault(f); err != nil {
			t.Fatal(err)
		}
	}
}

// codes returns the HTTP status of every attempt so far.
func (b *bundle) codes() []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []int
	for _, a := range b.attempts {
		out = append(out, a.Code)
	}
	return out
}

func (b *bundle) logText() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.logs.String()
}

// get is an idempotent read of a spreadsheet that does not exist.
func (b *bundle) get(ctx context.Context) error {
	return b.r.Do(ctx, google.Idempotent(mGet), func(ctx context.Context) error {
		_, err := b.svc.Sheets.Spreadsheets.Get("no-such-sheet").Context(ctx).Do()
		return err
	})
}

// appendRow is a non-idempotent write.
func (b *bundle) appendRow(ctx context.Context) error {
	return b.r.Do(ctx, google.NonIdempotent(mAppend), func(ctx context.Context) error {
		vr := &sheets.ValueRange{Values: [][]any{{"KOPI-0001", "=not a formula"}}}
		_, err := b.svc.Sheets.Spreadsheets.Values.Append("no-such-sheet", "Konsultasi!A1", vr).
			ValueInputOption("RAW").Context(ctx).Do()
		return err
	})
}

// send is a non-idempotent Gmail send.
func (b *bundle) send(ctx context.Context) error {
	return b.r.Do(ctx, google.NonIdempotent(mSend), func(ctx context.Context) error {
		_, err := b.svc.Gmail.Users.Messages.Send("me", &gmail.Message{Raw: rawMessage}).Context(ctx).Do()
		return err
	})
}

// rawMessage is "To: pemohon@example.go.id\r\nSubject: Tanda terima\r\n\r\nTerima kasih." in base64url.
const rawMessage = "VG86IHBlbW9ob25AZXhhbXBsZS5nby5pZA0KU3ViamVjdDogVGFuZGEgdGVyaW1hDQoNClRlcmltYSBrYXNpaC4"

// fakeClock records sleeps and advances instantly.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// dropTransport lets the fake handle a request whose path contains match,
// then loses the response, as a connection closed mid-answer does. The
// fake's own dropAfterHandling fault applies only once a method has a
// handler; this one works on every method.
type dropTransport struct {
	base  http.RoundTripper
	match string
	mu    sync.Mutex
	times int // responses left to drop
}

func (d *dropTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := d.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	drop := d.times > 0 && strings.Contains(req.URL.Path, d.match)
	if drop {
		d.times--
	}
	d.mu.Unlock()
	if drop {
		_ = resp.Body.Close()
		return nil, io.ErrUnexpectedEOF
	}
	return resp, nil
}
