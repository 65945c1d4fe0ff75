package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
	ksync "kopi/sync"
)

// The form cache's daily re-read waits for a busy cycle (google/formcache.go):
// these tests run kopi through a proxy in front of the fake Workspace that
// logs the calls in order, can hand out a new responder link in forms.get
// answers (Google changing the link, which the fake cannot), and can fail
// the tracker write that follows a forms.get (kopi dying between reading
// the form and recording it).

// formProxy stands between kopi and the fake Workspace.
type formProxy struct {
	rp *httputil.ReverseProxy
	mu sync.Mutex
	// log names every call in order: forms.get, responses.list, gmail,
	// sheets.write (a spreadsheets batchUpdate), sheets.
	log []string
	// oldLink, newLink: forms.get answers carry newLink for oldLink.
	oldLink, newLink string
	// failWrite fails the first spreadsheets batchUpdate after the next
	// forms.get (primed once that forms.get passed).
	failWrite, primed bool
}

func callKind(r *http.Request) string {
	p := r.URL.Path
	switch {
	case strings.Contains(p, "/gmail/"):
		return "gmail"
	case strings.Contains(p, "/responses"):
		return "responses.list"
	case strings.Contains(p, "/v1/forms/") && r.Method == http.MethodGet:
		return "forms.get"
	case strings.Contains(p, ":batchUpdate") || strings.Contains(p, "/values"):
		return "sheets.write"
	default:
		return "sheets"
	}
}

func (p *formProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k := callKind(r)
	p.mu.Lock()
	p.log = append(p.log, k)
	fail := false
	switch {
	case k == "forms.get" && p.failWrite:
		p.primed = true
	case k == "sheets.write" && p.primed:
		p.failWrite, p.primed, fail = false, false, true
	}
	p.mu.Unlock()
	if fail {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":{"code":400,"message":"kopi mati di sini (uji)","status":"INVALID_ARGUMENT"}}`)
		return
	}
	if k == "forms.get" {
		r.Header.Del("Accept-Encoding") // a plain body to rewrite
	}
	p.rp.ServeHTTP(w, r)
}

// calls returns the log since the last take and empties it.
func (p *formProxy) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.log
	p.log = nil
	return l
}

func (p *formProxy) setLink(oldLink, newLink string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.oldLink, p.newLink = oldLink, newLink
}

func (p *formProxy) armFailWrite() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failWrite = true
}

func (p *formProxy) rewrite(resp *http.Response) error {
	p.mu.Lock()
	oldLink, newLink := p.oldLink, p.newLink
	p.mu.Unlock()
	if oldLink == "" || callKind(resp.Request) != "forms.get" {
		return nil
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	b = bytes.ReplaceAll(b, []byte(oldLink), []byte(newLink))
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
	return nil
}

// proxiedOffice is an office on clk whose kopi reaches the fake through
// a formProxy: initialised (spreadsheet, intake form, and the survey form
// when asked), health listener on a free loopback port.
func proxiedOffice(t *testing.T, clk *testClock, survey bool) (*office, *formProxy) {
	t.Helper()
	// The fake listens on no port: kopi reaches it only through the
	// proxy, which hands each call on in memory.
	srv, err := fake.New(fake.Options{Account: "kopi@inspektorat.example.go.id", Now: clk.Now, NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	target, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	p := &formProxy{rp: httputil.NewSingleHostReverseProxy(target)}
	p.rp.Transport = srv.HTTPClient().Transport
	p.rp.ModifyResponse = p.rewrite
	hs := httptest.NewServer(p)
	t.Cleanup(hs.Close)
	tmpl, err := os.ReadFile(filepath.Join("testdata", "kopi-init.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := bytes.ReplaceAll(tmpl, []byte("ENDPOINT"), []byte(hs.URL))
	// The yearly archive stays on (the template's default): its nightly
	// run with nothing to move writes nothing, so the idle nights these
	// tests count stay at two calls too.
	text = append(text, "\nhttp:\n  listen: \"127.0.0.1:0\"\n"...)
	path := filepath.Join(t.TempDir(), "kopi.yaml")
	if err := os.WriteFile(path, text, 0o640); err != nil {
		t.Fatal(err)
	}
	o := &office{srv: srv, config: path}
	args := []string{"init", "--config", o.config, "--create-intake-form"}
	if survey {
		args = append(args, "--create-survey-form")
	}
	if r := kopiWith(t, environment{now: clk.Now}, args...); r.err != nil {
		t.Fatalf("init: %v\n%s", r.err, r.stderr)
	}
	return o, p
}

// officeRunOnce is a proxied office without a survey form whose first
// `kopi once` ran at start (the form read and recorded then).
func officeRunOnce(t *testing.T, start time.Time) (*office, *formProxy, *testClock) {
	t.Helper()
	clk := &testClock{t: start}
	o, p := proxiedOffice(t, clk, false)
	if r, _ := onceAt(t, o, p, clk, start); r.err != nil {
		t.Fatalf("first once: %v\n%s", r.err, r.stderr)
	}
	return o, p, clk
}

// onceAt runs `kopi once` at the office time at, returning its result
// and its calls in order.
func onceAt(t *testing.T, o *office, p *formProxy, clk *testClock, at time.Time) (result, []string) {
	t.Helper()
	clk.Set(at)
	p.take()
	r := kopiWith(t, environment{now: clk.Now}, "once", "--config", o.config)
	return r, p.take()
}

func count(log []string, kind string) int {
	n := 0
	for _, k := range log {
		if k == kind {
			n++
		}
	}
	return n
}

func index(log []string, kind string) int {
	for i, k := range log {
		if k == kind {
			return i
		}
	}
	return -1
}

// formRecord is a cached form's record in the state tab: checked time,
// link, questions (JSON), and how many records of the kind there are.
type formRecord struct {
	checked, link, detail string
	n                     int
}

func readFormRecord(t *testing.T, o *office, kind string) formRecord {
	t.Helper()
	rows, err := o.srv.SpreadsheetValues(o.value(t, keySpreadsheetID), google.StateTab.Title)
	if err != nil || len(rows) == 0 {
		t.Fatalf("state tab: %v %v", rows, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	cell := func(r []string, key string) string {
		if i, ok := col[stateHeader(t, key)]; ok && i < len(r) {
			return r[i]
		}
		return ""
	}
	var rec formRecord
	for _, r := range rows[1:] {
		if cell(r, google.ColStateKind) == kind {
			rec.n++
			rec.checked, rec.link, rec.detail = cell(r, google.ColStateTime), cell(r, google.ColStateMsg), cell(r, google.ColStateDetail)
		}
	}
	return rec
}

func utcStamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// An office's weekend: the first run on Friday afternoon caches the forms,
// then `kopi once` every 20 minutes from Friday evening to Monday before
// opening — two midnights, the cache a day old from Saturday afternoon —
// stays at the idle budget (two calls, three with the survey form) with
// no forms.get; Monday's first run in office hours (the digest: a busy
// cycle) reads the forms again after its email and rewrites their
// records in place, and the run after it is idle again.
func TestOnceIdleWeekendKeepsTheBudgetAndTheBusyCycleReadsTheForms(t *testing.T) {
	t.Parallel()
	for _, survey := range []bool{false, true} {
		t.Run(map[bool]string{false: "intake", true: "survey"}[survey], func(t *testing.T) {
			t.Parallel()
			friday := time.Date(2026, 3, 6, 15, 0, 0, 0, wib)
			clk := &testClock{t: friday}
			o, p := proxiedOffice(t, clk, survey)
			kinds := []string{"formulir"}
			budget := 2
			if survey {
				kinds = append(kinds, "formulir-survei")
				budget = 3
			}
			if r, _ := onceAt(t, o, p, clk, friday); r.err != nil {
				t.Fatalf("first once: %v\n%s", r.err, r.stderr)
			}
			for _, k := range kinds {
				if rec := readFormRecord(t, o, k); rec.n != 1 || rec.checked != utcStamp(friday) {
					t.Fatalf("%s record after the first run: %+v", k, rec)
				}
			}
			runs, most := 0, 0
			monday := time.Date(2026, 3, 9, 6, 40, 0, 0, wib)
			// Hourly: every idle night and day hour, both midnights.
			for at := friday.Add(3 * time.Hour); !at.After(monday); at = at.Add(time.Hour) {
				r, log := onceAt(t, o, p, clk, at)
				if r.err != nil {
					t.Fatalf("once at %v: %v\n%s", at, r.err, r.stderr)
				}
				runs++
				most = max(most, len(log))
				if len(log) != budget || count(log, "forms.get") != 0 {
					t.Errorf("once at %v (cache %v old): %d calls %v, want %d and no forms.get", at, at.Sub(friday), len(log), log, budget)
				}
			}
			t.Logf("%d idle runs from Friday 18:00 to Monday 06:40, at most %d calls each", runs, most)
			opening := time.Date(2026, 3, 9, 9, 0, 0, 0, wib)
			r, log := onceAt(t, o, p, clk, opening)
			if r.err != nil {
				t.Fatalf("Monday's first run: %v\n%s", r.err, r.stderr)
			}
			t.Logf("Monday's first run: %d calls %v", len(log), log)
			email, get := index(log, "gmail"), index(log, "forms.get")
			if email < 0 {
				t.Fatalf("Monday's first run sent no email (no digest?): %v", log)
			}
			if count(log, "forms.get") != len(kinds) || get < email {
				t.Errorf("Monday's first run: forms.get %d times, first at call %d, first email at %d; want %d, after the email", count(log, "forms.get"), get, email, len(kinds))
			}
			for _, k := range kinds {
				if rec := readFormRecord(t, o, k); rec.n != 1 || rec.checked != utcStamp(opening) {
					t.Errorf("%s record after Monday's first run: %+v, want one, checked %s", k, rec, utcStamp(opening))
				}
			}
			r, log = onceAt(t, o, p, clk, opening.Add(20*time.Minute))
			if r.err != nil || len(log) != budget {
				t.Errorf("the run after: %v, %d calls %v", r.err, len(log), log)
			}
		})
	}
}

// incomplete is a requester whose WhatsApp number is invalid: the
// incomplete-request notice, which quotes the form's link, goes to them.
func incomplete(email string) map[string]string {
	return incompleteAs(rules.DefaultQuestionTitles.Email, email)
}

// incompleteAs is incomplete with the email question titled emailTitle.
func incompleteAs(emailTitle, email string) map[string]string {
	q := rules.DefaultQuestionTitles
	return map[string]string{
		q.Nama: "Budi Santoso", q.Instansi: "Kecamatan Sukamaju", emailTitle: email, q.WhatsApp: "12",
		q.Topik: rules.TopicAudit, q.Pertanyaan: "Bagaimana prosedur reviu?",
	}
}

// sentTo returns the texts of the emails sent to addr.
func sentTo(o *office, addr string) []string {
	var out []string
	for _, m := range o.srv.Sent("me") {
		if len(m.To) > 0 && m.To[0] == addr {
			out = append(out, m.Text)
		}
	}
	return out
}

// retitle renames the intake form's question title to next.
func retitle(t *testing.T, o *office, title, next string) {
	t.Helper()
	formID := o.value(t, keyFormID)
	f, _ := o.srv.Form(formID)
	for i, it := range f.Items {
		if it.Title != title {
			continue
		}
		it.Title = next
		_, err := o.services(t).Forms.Forms.BatchUpdate(formID, &forms.BatchUpdateFormRequest{Requests: []*forms.Request{{
			UpdateItem: &forms.UpdateItemRequest{Item: it, Location: &forms.Location{Index: int64(i), ForceSendFields: []string{"Index"}}, UpdateMask: "title"},
		}}}).Do()
		if err != nil {
			t.Fatalf("rename %q: %v", title, err)
		}
		return
	}
	t.Fatalf("no question %q", title)
}

// Over the weekend staff retitle a question (in a way the config's
// mapping still matches) and Google hands out a new responder link: idle
// runs do not see it; the first busy run after the cache aged sends its
// incomplete-request notice with the cached link, then reads the form and
// records the new title and link, and the next notice carries the new
// link.
func TestOncePicksUpATitleAndLinkInTheFirstBusyCycle(t *testing.T) {
	t.Parallel()
	friday := time.Date(2026, 3, 6, 15, 0, 0, 0, wib)
	o, p, clk := officeRunOnce(t, friday)
	f, _ := o.srv.Form(o.value(t, keyFormID))
	oldLink, newLink := f.ResponderUri, "https://docs.google.com/forms/d/e/1FAIpQLSlinkBaruDariGoogle/viewform"
	p.setLink(oldLink, newLink)
	retitle(t, o, rules.DefaultQuestionTitles.Email, "ALAMAT  EMAIL")
	saturday := time.Date(2026, 3, 7, 20, 0, 0, 0, wib)
	if r, log := onceAt(t, o, p, clk, saturday); r.err != nil || len(log) != 2 {
		t.Fatalf("idle Saturday run: %v, %v", r.err, log)
	}
	if rec := readFormRecord(t, o, "formulir"); rec.link != oldLink || strings.Contains(rec.detail, "ALAMAT") {
		t.Fatalf("an idle run changed the record: %+v", rec)
	}
	// Sunday evening, a day and more after the cache: a response.
	o.submit(t, incompleteAs("ALAMAT  EMAIL", "budi@kecamatan.example.id"))
	sunday := time.Date(2026, 3, 8, 20, 0, 0, 0, wib)
	r, log := onceAt(t, o, p, clk, sunday)
	if r.err != nil {
		t.Fatalf("busy run: %v\n%s", r.err, r.stderr)
	}
	t.Logf("busy run: %d calls %v", len(log), log)
	if email, get := index(log, "gmail"), index(log, "forms.get"); email < 0 || get < email || count(log, "forms.get") != 1 {
		t.Errorf("busy run: forms.get at call %d (of %d), first email at %d; want one, after the email", get, count(log, "forms.get"), email)
	}
	notices := sentTo(o, "budi@kecamatan.example.id")
	if len(notices) != 1 || !strings.Contains(notices[0], oldLink) {
		t.Errorf("the busy run's notice should quote the cached link %s: %q", oldLink, notices)
	}
	rec := readFormRecord(t, o, "formulir")
	if rec.n != 1 || rec.link != newLink || !strings.Contains(rec.detail, "ALAMAT  EMAIL") || rec.checked != utcStamp(sunday) {
		t.Errorf("record after the busy run: %+v, want the new link and title, checked %s", rec, utcStamp(sunday))
	}
	o.submit(t, incompleteAs("ALAMAT  EMAIL", "sari@kecamatan.example.id"))
	if r, log := onceAt(t, o, p, clk, sunday.Add(20*time.Minute)); r.err != nil || count(log, "forms.get") != 0 {
		t.Fatalf("next busy run: %v, %v", r.err, log)
	}
	if notices := sentTo(o, "sari@kecamatan.example.id"); len(notices) != 1 || !strings.Contains(notices[0], newLink) {
		t.Errorf("the next notice should quote the new link %s: %q", newLink, notices)
	}
}

// A run that dies between forms.get and the record's write (the write
// fails) loses nothing: its case and receipt are there once, the record
// stays as it was, an idle run after it stays at two calls, and the next
// busy run reads the form and records it.
func TestOnceCrashBetweenFormReadAndRecordLosesNothing(t *testing.T) {
	t.Parallel()
	friday := time.Date(2026, 3, 6, 15, 0, 0, 0, wib)
	o, p, clk := officeRunOnce(t, friday)
	o.submit(t, seeded)
	p.armFailWrite()
	sunday := time.Date(2026, 3, 8, 20, 0, 0, 0, wib)
	r, log := onceAt(t, o, p, clk, sunday)
	if r.err == nil {
		t.Fatalf("the run whose record write failed succeeded: %v", log)
	}
	if count(log, "forms.get") != 1 || log[len(log)-1] != "sheets.write" || index(log, "forms.get") != len(log)-2 {
		t.Fatalf("the run did not die between forms.get and the record: %v", log)
	}
	t.Logf("run dying after forms.get: %v\n%s", log, r.stderr)
	check := func(when string, tickets int) {
		t.Helper()
		cases, err := o.srv.SpreadsheetValues(o.value(t, keySpreadsheetID), "Konsultasi")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, row := range cases[1:] {
			if len(row) > 0 && strings.HasPrefix(row[0], "KOPI-") {
				n++
			}
		}
		if n != tickets {
			t.Errorf("%s: %d cases, want %d", when, n, tickets)
		}
		if got := len(sentTo(o, seeded[rules.DefaultQuestionTitles.Email])); got != 1 {
			t.Errorf("%s: %d receipts to the first requester, want 1", when, got)
		}
	}
	check("after the crash", 1)
	if rec := readFormRecord(t, o, "formulir"); rec.n != 1 || rec.checked != utcStamp(friday) {
		t.Errorf("record after the crash: %+v, want Friday's", rec)
	}
	if r, log := onceAt(t, o, p, clk, sunday.Add(20*time.Minute)); r.err != nil || len(log) != 2 {
		t.Errorf("idle run after the crash: %v, %v", r.err, log)
	}
	q := rules.DefaultQuestionTitles
	o.submit(t, map[string]string{
		q.Nama: "Dewi Lestari", q.Instansi: "Dinas Pendidikan", q.Email: "dewi@disdik.example.id", q.WhatsApp: "0813-1111-2222",
		q.Topik: rules.TopicAudit, q.Pertanyaan: "Kapan jadwal audit?",
	})
	later := sunday.Add(40 * time.Minute)
	r, log = onceAt(t, o, p, clk, later)
	if r.err != nil || count(log, "forms.get") != 1 {
		t.Fatalf("next busy run: %v, %v\n%s", r.err, log, r.stderr)
	}
	check("after the next busy run", 2)
	if rec := readFormRecord(t, o, "formulir"); rec.n != 1 || rec.checked != utcStamp(later) {
		t.Errorf("record after the next busy run: %+v, want checked %s", rec, utcStamp(later))
	}
}

// The daemon over a weekend: it reads the forms at start (Friday
// 17:00, after office hours); every cycle without work (hourly in closed
// hours), to Sunday evening, costs at most two calls and none reads a
// form; Sunday evening's response makes the
// first busy cycle a day later, which sends its notice with the link read
// at start and then reads the form (forms.get) — the only re-read of the
// weekend; Monday morning's notice quotes the new link.
func TestRunIdleWeekendKeepsTheBudgetAndTheBusyCycleReadsTheForm(t *testing.T) {
	t.Parallel()
	friday := time.Date(2026, 3, 6, 17, 0, 0, 0, wib)
	sunday := time.Date(2026, 3, 8, 20, 0, 0, 0, wib)
	monday := time.Date(2026, 3, 9, 7, 45, 0, 0, wib)
	clk := &testClock{t: friday, end: monday.Add(30 * time.Minute), reached: make(chan struct{})}
	o, p := proxiedOffice(t, clk, false)
	// Closed hours cycle hourly, not every 15 minutes: an idle cycle's
	// calls depend on the hour only through the calendar (closed all
	// weekend), the date (the archive's nightly run; midnight is always
	// a tick of the closed-hours grid), the forms' age (a day from
	// Saturday 17:00) and the response cursor (a response's time, not a
	// cycle's) — each reached on the hourly grid too. The 5-minute
	// heartbeats between cycles go on as in production.
	if err := os.WriteFile(o.config, []byte(o.read(t)+"\nschedule:\n  cycle_outside: 1h\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	f, _ := o.srv.Form(o.value(t, keyFormID))
	oldLink, newLink := f.ResponderUri, "https://docs.google.com/forms/d/e/1FAIpQLSlinkBaruDariGoogle/viewform"

	type cycle struct {
		at    time.Time
		log   []string
		busy  bool
		err   error
		gets  int
		email int
	}
	var mu sync.Mutex
	var cycles []cycle
	var sentA, sentB bool
	wrap := func(j jobs) jobs {
		inner := j.cycle
		j.cycle = func(ctx context.Context) (*ksync.Report, error) {
			now := clk.Now()
			if !sentA && !now.Before(sunday) {
				sentA = true
				o.submit(t, incomplete("budi@kecamatan.example.id"))
			}
			if !sentB && !now.Before(monday) {
				sentB = true
				o.submit(t, incomplete("sari@kecamatan.example.id"))
			}
			p.take()
			rep, err := inner(ctx)
			log := p.take()
			mu.Lock()
			cycles = append(cycles, cycle{at: now, log: log, busy: rep != nil && rep.Busy(), err: err, gets: count(log, "forms.get"), email: index(log, "gmail")})
			mu.Unlock()
			return rep, err
		}
		return j
	}
	d := startDaemon(t, o, clk, "server-kantor", wrap)
	if _, err := d.started(t); err != nil {
		t.Fatalf("kopi run: %v\n%s", err, d.logs)
	}
	p.setLink(oldLink, newLink) // after the start-up read
	<-clk.reached
	mu.Lock()
	defer mu.Unlock()
	idle, reread := 0, []cycle{}
	for _, c := range cycles {
		if c.err != nil {
			t.Errorf("cycle at %v: %v", c.at, c.err)
		}
		if c.gets > 0 {
			reread = append(reread, c)
		}
		if !c.busy {
			idle++
			if len(c.log) > 2 || c.gets > 0 {
				t.Errorf("idle cycle at %v: %d calls %v", c.at, len(c.log), c.log)
			}
		}
	}
	t.Logf("%d cycles, %d without work, from %v to %v", len(cycles), idle, cycles[0].at, cycles[len(cycles)-1].at)
	if len(reread) != 1 {
		t.Fatalf("%d cycles read the form, want 1: %+v", len(reread), reread)
	}
	c := reread[0]
	t.Logf("the re-read: cycle at %v, %d calls %v", c.at, len(c.log), c.log)
	if c.at.Before(sunday) || c.at.After(sunday.Add(15*time.Minute)) || c.gets != 1 || c.email < 0 || index(c.log, "forms.get") < c.email {
		t.Errorf("the re-read: cycle at %v, calls %v; want Sunday's busy cycle, one forms.get after its email", c.at, c.log)
	}
	if n := sentTo(o, "budi@kecamatan.example.id"); len(n) != 1 || !strings.Contains(n[0], oldLink) {
		t.Errorf("Sunday's notice should quote the link read at start: %q", n)
	}
	if n := sentTo(o, "sari@kecamatan.example.id"); len(n) != 1 || !strings.Contains(n[0], newLink) {
		t.Errorf("Monday's notice should quote the new link: %q", n)
	}
}

// Staff retitle a question the config maps ("Nomor WhatsApp" → "Nomor HP")
// over the weekend. The cached id still decodes its answers, so idle runs
// go on at two calls and the first busy run does its work (the case, the
// receipt) before the re-read finds the title gone and fails the run with
// the mapping error, leaving the record as it was. Once the operator puts
// the new title in the config, the record no longer fits it and the next
// run reads the form before its cycle.
func TestOnceMappedTitleGoneFailsAfterTheWorkAndTheFixedConfigReadsAtOnce(t *testing.T) {
	t.Parallel()
	friday := time.Date(2026, 3, 6, 15, 0, 0, 0, wib)
	o, p, clk := officeRunOnce(t, friday)
	q := rules.DefaultQuestionTitles
	retitle(t, o, q.WhatsApp, "Nomor HP")
	saturday := time.Date(2026, 3, 7, 20, 0, 0, 0, wib)
	if r, log := onceAt(t, o, p, clk, saturday); r.err != nil || len(log) != 2 {
		t.Fatalf("idle Saturday run: %v, %v\n%s", r.err, log, r.stderr)
	}
	o.submit(t, map[string]string{
		q.Nama: "Sri Wahyuni", q.Instansi: "Pemerintah Desa Sukamaju", q.Email: "sri.wahyuni@desa-sukamaju.example.id",
		"Nomor HP": "0812-3456-7890", q.Topik: rules.TopicAudit, q.Pertanyaan: "Dokumen apa yang diminta saat audit ketaatan?",
	})
	sunday := time.Date(2026, 3, 8, 20, 0, 0, 0, wib)
	r, log := onceAt(t, o, p, clk, sunday)
	if r.err == nil || !strings.Contains(r.err.Error(), q.WhatsApp) {
		t.Fatalf("busy run with a mapped title gone: err %v, want the mapping error naming %q\n%s", r.err, q.WhatsApp, r.stderr)
	}
	if !strings.Contains(r.err.Error(), msgMappingFix) || strings.Contains(r.err.Error(), "tidak dikenali") {
		t.Errorf("the mapping error is not explained: %v", r.err)
	}
	t.Logf("busy run: %v\n%v", log, r.err)
	if !strings.Contains(r.stdout, "1 kasus baru") {
		t.Errorf("the busy run's work is not reported done:\n%s", r.stdout)
	}
	if n := sentTo(o, "sri.wahyuni@desa-sukamaju.example.id"); len(n) != 1 || !strings.Contains(n[0], "KOPI-2026-0001") {
		t.Errorf("receipts: %q, want one for KOPI-2026-0001", n)
	}
	if rec := readFormRecord(t, o, "formulir"); rec.n != 1 || rec.checked != utcStamp(friday) {
		t.Errorf("record after the failed re-read: %+v, want Friday's", rec)
	}
	if r, log := onceAt(t, o, p, clk, sunday.Add(20*time.Minute)); r.err != nil || len(log) != 2 {
		t.Errorf("idle run after it: %v, %v", r.err, log)
	}
	text := o.read(t)
	at := strings.Index(text, "  form_id:")
	eol := at + strings.Index(text[at:], "\n")
	text = text[:eol] + "\n  questions:\n    whatsapp: \"Nomor HP\"" + text[eol:]
	if err := os.WriteFile(o.config, []byte(text), 0o640); err != nil {
		t.Fatal(err)
	}
	fixed := sunday.Add(40 * time.Minute)
	r, log = onceAt(t, o, p, clk, fixed)
	if r.err != nil || count(log, "forms.get") != 1 || index(log, "forms.get") > index(log, "responses.list") {
		t.Fatalf("run after the config fix: %v, %v, want forms.get before the cycle\n%s", r.err, log, r.stderr)
	}
	if rec := readFormRecord(t, o, "formulir"); rec.n != 1 || rec.checked != utcStamp(fixed) || !strings.Contains(rec.detail, "Nomor HP") {
		t.Errorf("record after the config fix: %+v", rec)
	}
	if r, log := onceAt(t, o, p, clk, fixed.Add(20*time.Minute)); r.err != nil || len(log) != 2 {
		t.Errorf("idle run after the fix: %v, %v", r.err, log)
	}
}

// replaceQuestion deletes the intake form's question titled title and
// creates it again in its place: same title, a new question id (what a
// staff member does deleting a question and adding it back).
func replaceQuestion(t *testing.T, o *office, title string) {
	t.Helper()
	formID := o.value(t, keyFormID)
	f, _ := o.srv.Form(formID)
	for i, it := range f.Items {
		if it.Title != title || it.QuestionItem == nil {
			continue
		}
		q := *it.QuestionItem.Question
		q.QuestionId = ""
		item := &forms.Item{Title: it.Title, QuestionItem: &forms.QuestionItem{Question: &q}}
		loc := &forms.Location{Index: int64(i), ForceSendFields: []string{"Index"}}
		_, err := o.services(t).Forms.Forms.BatchUpdate(formID, &forms.BatchUpdateFormRequest{Requests: []*forms.Request{
			{DeleteItem: &forms.DeleteItemRequest{Location: loc}},
			{CreateItem: &forms.CreateItemRequest{Item: item, Location: loc}},
		}}).Do()
		if err != nil {
			t.Fatalf("replace %q: %v", title, err)
		}
		if g, _ := o.srv.Form(formID); g.Items[i].QuestionItem.Question.QuestionId == it.QuestionItem.Question.QuestionId {
			t.Fatalf("replace %q: the question kept its id", title)
		}
		return
	}
	t.Fatalf("no question %q", title)
}

// Staff delete the name question and add it back while the daemon runs:
// a new question id the daemon's start-up read did not show. The next
// response answers it; the daemon reads the form again and takes the
// name in, instead of a case without one.
func TestRunReadsAReplacedQuestionAgain(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 6, 9, 0, 0, 0, wib)
	clk := &testClock{t: start, end: start.Add(40 * time.Minute), reached: make(chan struct{})}
	o, _ := proxiedOffice(t, clk, false)
	q := rules.DefaultQuestionTitles
	var mu sync.Mutex
	var errs []error
	submitted := false
	wrap := func(j jobs) jobs {
		inner := j.cycle
		j.cycle = func(ctx context.Context) (*ksync.Report, error) {
			if !submitted && !clk.Now().Before(start.Add(10*time.Minute)) {
				submitted = true
				replaceQuestion(t, o, q.Nama)
				o.submit(t, map[string]string{
					q.Nama: "Sari Wulandari", q.Instansi: "Kecamatan Sukamaju", q.Email: "sari@kecamatan.example.id",
					q.WhatsApp: "081234567890", q.Topik: rules.TopicAudit, q.Pertanyaan: "Bagaimana prosedur reviu?",
				})
			}
			rep, err := inner(ctx)
			mu.Lock()
			if err != nil {
				errs = append(errs, err)
			}
			mu.Unlock()
			return rep, err
		}
		return j
	}
	d := startDaemon(t, o, clk, "server-kantor", wrap)
	if _, err := d.started(t); err != nil {
		t.Fatalf("kopi run: %v\n%s", err, d.logs)
	}
	<-clk.reached
	mu.Lock()
	defer mu.Unlock()
	if !submitted {
		t.Fatal("no cycle after the question was replaced")
	}
	for _, err := range errs {
		t.Errorf("cycle: %v", err)
	}
	rows, err := o.srv.SpreadsheetValues(o.value(t, keySpreadsheetID), "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	name := -1
	for i, h := range rows[0] {
		if h == "Nama" {
			name = i
		}
	}
	if len(rows) < 2 || name < 0 || name >= len(rows[1]) || rows[1][name] != "Sari Wulandari" {
		t.Fatalf("the case's name was not taken in: %q", rows[min(1, len(rows)-1)])
	}
}
