package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	stdsync "sync"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"
	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
	"kopi/sop"
	"kopi/sync"
)

// The compile-time proof that the google adapters implement what sync
// consumes (STYLE practice 2).
var (
	_ sync.Forms      = (*google.Forms)(nil)
	_ sync.TrackerTx  = (*google.TrackerTx)(nil)
	_ sync.Tracker    = sync.TrackerOf((*google.Tracker)(nil))
	_ sync.Mailer     = (*google.Gmail)(nil)
	_ sync.SurveyForm = (*google.SurveyForm)(nil)
	_ sync.SurveyLog  = (*google.Tracker)(nil)
)

// env is one office: the fake Workspace with the form and sheet kopi
// created, and a way to run the daemon's cycle against it.
type env struct {
	t     *testing.T
	ctx   context.Context
	srv   *fake.Server
	clock *fake.Clock
	cfg   *rules.Config
	cal   *rules.Calendar
	// transport wraps every HTTP call the daemon makes (crash tests).
	transport *crashTransport
	logs      *bytes.Buffer
	formID    string
	sheetID   string
	questions map[rules.Field]string
	// options, when set, edits the options of every engine started.
	options func(*sync.Options)
	// commitBytes is the engine's commit budget (0: the default).
	commitBytes int
	// googleLogs sends the Google adapters' log (their Retrier's) to
	// logs too.
	googleLogs bool
}

var wib = func() *time.Location {
	l, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return l
}()

// setup creates an office at Monday 2 March 2026, 08:00 WIB.
func setup(t *testing.T) *env {
	t.Helper()
	return setupWith(t, nil)
}

// setupWith is setup with the config changed by edit before the sheet
// is laid out (e.g. to run more SOPs).
//
// Every test set up under the same fake options and config starts from
// the same Workspace state: the fake is deterministic (its ids come from
// its seed), so setupWith builds that state once per options and config
// — form, spreadsheet, tabs, roster — and gives each test a clone of it
// (fake.Server.Clone: all state copied, nothing shared) with its own
// clock, config, calendar and adapters. The office a test gets is the
// one a fresh set-up would give it; the set-up's calls (most of a small
// test's CPU under -race) run once.
func setupWith(t *testing.T, edit func(*rules.Config)) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), clock: fake.NewClock(officeStart), logs: &bytes.Buffer{}}
	// In memory: a loopback port proves nothing the official clients'
	// requests do not, and costs a socket and a goroutine per call.
	opts := fake.Options{Now: e.clock.Now, NoListener: true}
	variantOptions(t, &opts)
	srv, tpl, err := cloneOffice(t, opts, edit)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	e.srv = srv
	e.transport = &crashTransport{base: srv.HTTPClient().Transport}
	if err := e.configure(tpl.formID, tpl.sheetID, edit); err != nil {
		t.Fatal(err)
	}
	ws := e.workspace()
	e.questions = ws.Questions
	srv.ResetCalls()
	return e
}

// officeStart is when every test's office opens: Monday 2 March 2026,
// 08:00 WIB.
var officeStart = time.Date(2026, 3, 2, 8, 0, 0, 0, wib)

// officeTemplate is a set-up Workspace state (setupWith).
type officeTemplate struct {
	srv             *fake.Server
	formID, sheetID string
}

// officeTemplates are the set-up states by fake options and config.
var officeTemplates struct {
	mu  stdsync.Mutex
	all map[string]officeTemplate
}

// cloneOffice is a clone, on opts.Now's clock, of the office laid out
// under opts with the config edit makes (built on first use), and the
// template it came from.
func cloneOffice(t *testing.T, opts fake.Options, edit func(*rules.Config)) (*fake.Server, officeTemplate, error) {
	now := opts.Now
	opts.Now = nil
	cfg := baseConfig("") // the key: the config as edit leaves it
	if edit != nil {
		edit(cfg)
	}
	js, err := json.Marshal(cfg)
	if err != nil {
		return nil, officeTemplate{}, err
	}
	key := fmt.Sprintf("%+v %s", opts, js)
	officeTemplates.mu.Lock()
	defer officeTemplates.mu.Unlock()
	tpl, ok := officeTemplates.all[key]
	if !ok {
		clock := fake.NewClock(officeStart)
		opts.Now = clock.Now
		srv, err := fake.New(opts)
		if err != nil {
			return nil, tpl, err
		}
		b := &env{t: t, ctx: context.Background(), clock: clock, srv: srv, logs: &bytes.Buffer{}}
		if err := b.layOut(edit); err != nil {
			_ = srv.Close()
			return nil, tpl, fmt.Errorf("office template: %w", err)
		}
		srv.ResetCalls()
		tpl = officeTemplate{srv: srv, formID: b.formID, sheetID: b.sheetID}
		if officeTemplates.all == nil {
			officeTemplates.all = map[string]officeTemplate{}
		}
		officeTemplates.all[key] = tpl
	}
	srv, err := tpl.srv.Clone(now)
	return srv, tpl, err
}

// layOut creates the intake form and the tracker on e.srv and sets e's
// config (changed by edit before the sheet is laid out).
func (e *env) layOut(edit func(*rules.Config)) error {
	svc, err := google.NewServices(e.ctx, google.Options{Endpoint: e.srv.URL(), HTTPClient: e.srv.HTTPClient()})
	if err != nil {
		return err
	}
	r := &google.Retrier{Clock: e.clock}
	form, err := google.CreateIntakeForm(e.ctx, svc.Forms, r, baseConfig(e.srv.URL()), "Formulir KOPI Terintegrasi")
	if err != nil {
		return err
	}
	sheetID, err := google.CreateSpreadsheet(e.ctx, svc.Sheets, r, "KOPI — Pelacakan", "Asia/Jakarta")
	if err != nil {
		return err
	}
	if err := e.configure(form.ID, sheetID, edit); err != nil {
		return err
	}
	defs, err := sop.Resolve(e.cfg.SOPs)
	if err != nil {
		return err
	}
	tr := google.NewTracker(google.NewSheets(svc.Sheets, r, sheetID), e.cfg).RunSOPs(defs)
	_, err = google.NewSheets(svc.Sheets, r, sheetID).Ensure(e.ctx, tr.Schemas(), google.Seed{google.RosterTab.Title: google.ExampleRoster(e.cfg)})
	return err
}

// baseConfig is the office's config, on the fake at url, before its form
// and spreadsheet.
func baseConfig(url string) *rules.Config {
	cfg := rules.DefaultConfig()
	cfg.Mail.Sender = rules.Address{Name: "Admin KOPI Inspektorat Kabupaten Contoh", Address: "kopi@example.go.id"}
	cfg.Mail.Admins = []string{"admin.kopi@example.go.id"}
	cfg.Google.Endpoint = url
	return cfg
}

// configure sets e's config for the office's form and spreadsheet
// (changed by edit), and its calendar.
func (e *env) configure(formID, sheetID string, edit func(*rules.Config)) error {
	cfg := baseConfig(e.srv.URL())
	cfg.Intake.FormID = formID
	cfg.Tracker.SpreadsheetID = sheetID
	if edit != nil {
		edit(cfg)
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	cal, err := cfg.Calendar()
	if err != nil {
		return err
	}
	e.cfg, e.cal, e.formID, e.sheetID = cfg, cal, formID, sheetID
	return nil
}

// fork is a copy of this office for test t: the fake cloned with all
// its state (forms, responses, sheet, mailboxes, call counts, the ids it
// hands out next), a clock of its own at the same time, a fresh crash
// transport and log. The crash tests build their scenario once and fork
// it per crash point instead of replaying the set-up each time; the
// config, calendar and question ids are shared and only read.
func (e *env) fork(t *testing.T) *env {
	t.Helper()
	f := *e
	f.t = t
	f.clock = fake.NewClock(e.clock.Now())
	srv, err := e.srv.Clone(f.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	f.srv = srv
	f.transport = &crashTransport{base: srv.HTTPClient().Transport}
	f.logs = &bytes.Buffer{}
	return &f
}

// workspace connects fresh adapters, as a (re)started daemon does.
func (e *env) workspace() *google.Workspace {
	e.t.Helper()
	ws, err := e.connect()
	if err != nil {
		e.t.Fatal(err)
	}
	return ws
}

func (e *env) connect() (*google.Workspace, error) {
	r := &google.Retrier{Clock: e.clock}
	if e.googleLogs {
		r.Logger = slog.New(slog.NewTextHandler(e.logs, nil))
	}
	return google.Connect(e.ctx, e.cfg, google.Options{
		Endpoint:   e.srv.URL(),
		HTTPClient: &http.Client{Transport: e.transport},
	}, r, e.clock.Now)
}

// engine builds a daemon on fresh adapters.
func (e *env) engine() *sync.Engine {
	e.t.Helper()
	eng, err := e.tryEngine()
	if err != nil {
		e.t.Fatal(err)
	}
	return eng
}

// builtinTemplates are the built-in templates, parsed once for every
// engine the tests start (a test starting one per cycle parsed them per
// cycle). Parsed templates are only executed, which is safe in parallel.
var builtinTemplates = stdsync.OnceValues(func() (*sync.Templates, error) { return sync.LoadTemplates("") })

// tryEngine starts a daemon, which may fail (a crash at start-up).
func (e *env) tryEngine() (*sync.Engine, error) {
	ws, err := e.connect()
	if err != nil {
		return nil, err
	}
	tmpl, err := builtinTemplates()
	if err != nil {
		return nil, err
	}
	o := sync.Options{
		Config: e.cfg, Calendar: e.cal, Forms: ws.Forms, Tracker: sync.TrackerOf(ws.Tracker), Mailer: ws.Gmail,
		Templates: tmpl, Questions: ws.Questions, FormURL: ws.FormURL, SheetURL: ws.SheetURL, SOPs: ws.SOPs,
		Now: e.clock.Now, Logger: slog.New(slog.NewTextHandler(e.logs, nil)),
		Report: ws.Sheets, History: ws.Tracker, CommitBytes: e.commitBytes,
	}
	if e.options != nil {
		e.options(&o)
	}
	if e.cfg.Survey.FormID != "" {
		if o.Survey, err = google.ConnectSurvey(e.ctx, ws.Forms, e.cfg.Survey.FormID); err != nil {
			return nil, err
		}
		o.Surveys = ws.Tracker
	}
	return sync.New(o)
}

// cycle runs one cycle on a fresh engine and fails the test on error.
func (e *env) cycle() *sync.Report {
	e.t.Helper()
	rep, err := e.engine().RunCycle(e.ctx)
	if err != nil {
		e.t.Fatalf("cycle: %v", err)
	}
	return rep
}

// submission is a requester's answers by field.
type submission map[rules.Field]string

func (e *env) answers(s submission) map[string]*forms.Answer {
	out := map[string]*forms.Answer{}
	for f, v := range s {
		if v == "" {
			continue
		}
		out[e.questions[f]] = &forms.Answer{TextAnswers: &forms.TextAnswers{Answers: []*forms.TextAnswer{{Value: v}}}}
	}
	return out
}

// submit sends a response as a requester would.
func (e *env) submit(s submission) string {
	e.t.Helper()
	r, err := e.srv.SubmitResponse(e.formID, e.answers(s), "")
	if err != nil {
		e.t.Fatalf("submit: %v", err)
	}
	return r.ResponseId
}

// complete returns a complete submission for a topic.
func complete(name, topic string) submission {
	return submission{
		rules.FieldNama:       name,
		rules.FieldInstansi:   "Pemerintah Desa Sukamaju",
		rules.FieldEmail:      "pemohon." + name + "@desa.example.id",
		rules.FieldWhatsApp:   "0812-3456-7890",
		rules.FieldTopik:      topic,
		rules.FieldPertanyaan: "Bagaimana tata cara tindak lanjut rekomendasi BPK atas belanja modal tahun 2025?",
		rules.FieldLampiran:   "https://drive.google.com/file/d/1AbCdEf/view",
	}
}

// rows returns the Konsultasi tab as text, header first.
func (e *env) rows() [][]string {
	e.t.Helper()
	v, err := e.srv.SpreadsheetValues(e.sheetID, "Konsultasi")
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// column returns the index of a header in the Konsultasi tab.
func column(rows [][]string, header string) int {
	for i, h := range rows[0] {
		if h == header {
			return i
		}
	}
	return -1
}

// dataRows are the rows below the header with a ticket.
func dataRows(rows [][]string) [][]string {
	var out [][]string
	ti := column(rows, "No. Tiket")
	for _, r := range rows[1:] {
		if ti < len(r) && r[ti] != "" {
			out = append(out, r)
		}
	}
	return out
}

// gmail is an official Gmail client on the fake, for inspecting the
// mailbox as a person would.
func (e *env) gmail() *gmail.Service {
	e.t.Helper()
	svc, err := gmail.NewService(e.ctx, option.WithEndpoint(e.srv.URL()+"/"), option.WithHTTPClient(e.srv.HTTPClient()))
	if err != nil {
		e.t.Fatal(err)
	}
	return svc
}

// eachCrashPoint runs body as a parallel subtest for every call k of a
// cycle of calls calls, in each way a call can fail the daemon: it dies
// right after the call ("die-after"), or Google applies the call and the
// answer is lost ("drop"). body gets the subtest's label and crash, which
// runs one cycle of an env failing at that point (the daemon may already
// die starting up) and disarms the fault. It returns how many subtests
// it started.
//
// "die-after k" and "drop k" both let Google apply calls 1..k, so one
// might run the recovery once for both. Measured (2026-12-02, with a
// reflective comparison of the two forks' fake state, clock and sort
// count right after the crashed cycle): in TestAnswerCrashAtEveryCall
// none of the 15 pairs matched, 7 differing in a stored mail's raw bytes
// and 8 in the clock. With the Retrier's jitter made the same sequence
// at every start (Retrier.Rand), 13 still differ: dropping call k's
// answer makes the daemon retry call k, dying before call k+1 fails that
// one, and the backoffs (on the fake clock) and so the mails' dates are
// not the same. Each mode is therefore its own run.
func eachCrashPoint(t *testing.T, calls int, body func(t *testing.T, label string, crash func(e *env))) int {
	t.Helper()
	return eachCrashPointFrom(t, 1, calls, body)
}

// eachCrashPointFrom is eachCrashPoint for the calls from the from-th on
// (a death before a cycle's first write leaves Google as it was).
func eachCrashPointFrom(t *testing.T, from, calls int, body func(t *testing.T, label string, crash func(e *env))) int {
	t.Helper()
	runs := 0
	for k := from; k <= calls; k++ {
		for _, mode := range []string{"die-after", "drop"} {
			label := fmt.Sprintf("%s call %d of %d", mode, k, calls)
			runs++
			t.Run(label, func(t *testing.T) {
				t.Parallel()
				body(t, label, func(e *env) {
					if mode == "die-after" {
						e.transport.arm(k, 0)
					} else {
						e.transport.arm(0, k)
					}
					if eng, err := e.tryEngine(); err == nil {
						_, _ = eng.RunCycle(e.ctx)
					}
					e.transport.arm(0, 0)
				})
			})
		}
	}
	return runs
}

// settleAll makes settle run all its cycles and fail if one that follows
// a quiet cycle writes: the check that stopping at the first quiet cycle
// leaves out nothing (go test ./sync -run 'Crash' -settle.all).
var settleAll = flag.Bool("settle.all", false, "crash tests: run every recovery cycle settle may leave out and fail if one after a quiet cycle writes")

// settle runs the clean cycles after a crash: up to n cycles on fresh
// engines, each a minute after the last, calling after (if set) after
// each; it stops after the first quiet cycle, one that sent Google no
// write (no call but GETs), and moves the clock on by the minutes of the
// cycles it left out, so the checks run at the same time as after n.
//
// The cycles left out prove nothing more: a cycle starts a fresh engine
// (nothing carries over in memory) and is decided by what Google holds
// and the clock. A quiet cycle leaves Google's state as it found it, so
// the next, a minute later, finds the same state; kopi's deadlines are
// hours and days apart (reminders, overdue, archive, surveys, reports),
// so it decides the same — nothing — and so on to the n-th. Running
// with -settle.all runs them all and fails if that ever stops holding.
func (e *env) settle(n int, after func()) {
	e.t.Helper()
	quiet := false
	for i := 0; i < n; i++ {
		if quiet && !*settleAll {
			e.clock.Advance(time.Duration(n-i) * time.Minute)
			return
		}
		e.clock.Advance(time.Minute)
		e.transport.arm(0, 0)
		e.cycle()
		wrote := e.transport.written() > 0
		if after != nil {
			after()
		}
		if quiet && wrote {
			e.t.Errorf("recovery cycle %d of %d wrote to Google after a quiet one: stopping at the first quiet cycle (settle) would leave it out", i+1, n)
		}
		quiet = quiet || !wrote
	}
}
