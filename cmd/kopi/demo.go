package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
	ksync "kopi/sync"
)

// The demo office's mail account and admin.
const (
	demoSenderName = "Admin KOPI Inspektorat Kabupaten Contoh"
	demoSender     = "kopi@inspektorat.example.go.id"
	demoAdmin      = "admin.kopi@inspektorat.example.go.id"
	// demoEvery is how often the demo daemon runs a cycle, in simulated time.
	demoEvery = 10 * time.Minute
)

// runDemo parses `kopi demo`. Its logs go to stderr at warn level by
// default: the engine's info lines (ticket numbers) would drown the tables.
func runDemo(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "demo", "[--log-level warn] [--log-format text] [--web [--web-addr 127.0.0.1:8086] [--fresh]]")
	o := demoOptions{lc: rules.LogConfig{Format: "text", Level: "warn"}}
	fs.StringVar(&o.lc.Level, "log-level", o.lc.Level, "tingkat log: debug, info, warn, error")
	fs.StringVar(&o.lc.Format, "log-format", o.lc.Format, "format log: text atau json")
	fs.BoolVar(&o.web, "web", false, "sesudah demo, buka tampilan web Formulir, Sheet dan Gmail tiruan; jam simulasi dimajukan dari halaman")
	fs.StringVar(&o.webAddr, "web-addr", "127.0.0.1:8086", "alamat tampilan web (hanya loopback); port 0 memilih port bebas")
	fs.BoolVar(&o.fresh, "fresh", false, "dengan --web: mulai Senin 07.45 dengan Workspace baru, tanpa memutar skenario contoh")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	if o.fresh && !o.web {
		return fmt.Errorf("%w: %s", errUsage, msgDemoFreshNeedsWeb)
	}
	if o.web {
		if err := loopbackAddr(o.webAddr); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	return demo(ctx, env, o)
}

// demoOptions are the flags of `kopi demo`.
type demoOptions struct {
	lc      rules.LogConfig
	web     bool   // serve the web view after the scripted days
	webAddr string // its loopback address
	fresh   bool   // skip the scripted days: start on Monday morning, empty
}

// sentAt is an email the demo saw go out, with the simulated time of the
// cycle that sent it.
type sentAt struct {
	at  time.Time
	msg fake.SentMessage
}

// demoRun is the state of one demo: the fake Workspace, the office's
// configuration and what happened during the day.
type demoRun struct {
	out       io.Writer
	clk       *fake.Clock
	srv       *fake.Server
	cfg       *rules.Config
	ws        *google.Workspace
	responses []string // response id per demo event (edits repeat the original's)
	sent      []sentAt
	header    []string // the Konsultasi header the demo last read
}

// demo runs a simulated Monday and Tuesday morning of the KOPI service
// (intake, staff answering and approving in the Sheet, answer emails,
// the daily digest, reminders) against the in-process fake Workspace
// and prints what staff and requesters would see. It needs no Google
// account and no network: kopi reaches the fake through its in-memory
// transport (a loopback port would add nothing the official clients'
// requests do not already show, and costs a socket per call; the web
// view, with --web, is served on its own loopback address).
func demo(ctx context.Context, env *environment, o demoOptions) error {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return err
	}
	day := demoDay(loc)
	start := time.Date(2026, time.March, 2, 7, 45, 0, 0, loc)
	d := &demoRun{out: env.stdout, clk: fake.NewClock(start)}
	// Log lines carry the simulated office time.
	logger, err := newLoggerAt(env.stderr, o.lc, d.clk.Now, loc)
	if err != nil {
		return err
	}
	if env.demoLogJSON != nil {
		jlc := o.lc
		jlc.Format = "json"
		jl, err := newLoggerAt(env.demoLogJSON, jlc, d.clk.Now, loc)
		if err != nil {
			return err
		}
		logger = slog.New(slog.NewMultiHandler(logger.Handler(), jl.Handler()))
	}
	d.srv, err = fake.New(fake.Options{Now: d.clk.Now, Account: demoSender, NoListener: true})
	if err != nil {
		return fmt.Errorf(msgDemoFake, err)
	}
	defer d.srv.Close()

	d.cfg = rules.DefaultConfig()
	d.cfg.Mail.Sender = rules.Address{Name: demoSenderName, Address: demoSender}
	d.cfg.Mail.Admins = []string{demoAdmin}
	d.cfg.Google.Endpoint = d.srv.URL()
	// Loads the time zone; the ids are missing until init creates them.
	if err := d.cfg.Validate(); err != nil {
		var ce *rules.ConfigError
		if !errors.As(err, &ce) || len(withoutEmptyIDs(ce.Problems, d.cfg, []string{keySpreadsheetID, keyFormID})) > 0 {
			return fmt.Errorf(msgDemoConfig, err)
		}
	}

	fmt.Fprintln(d.out, msgDemoTitle)
	retrier := &google.Retrier{Clock: d.clk, Logger: logger}
	gopts := google.Options{Endpoint: d.srv.URL(), HTTPClient: d.srv.HTTPClient()}

	section(d.out, msgDemoInit)
	err = initOffice(ctx, &indented{w: d.out}, initSetup{
		cfg: d.cfg, google: gopts, retrier: retrier, createForm: true, title: defaultTitle,
	})
	if err != nil {
		return err
	}
	if err := d.nameRoster(); err != nil {
		return err
	}
	if err := d.cfg.Validate(); err != nil {
		return fmt.Errorf(msgDemoConfig, err)
	}
	cal, err := d.cfg.Calendar()
	if err != nil {
		return fmt.Errorf(msgCalendar, err)
	}
	eng, ws, err := newEngine(ctx, wiring{cfg: d.cfg, cal: cal, google: gopts, retrier: retrier, now: d.clk.Now, logger: logger})
	if err != nil {
		return err
	}
	d.ws = ws
	if o.fresh {
		return d.serveWeb(ctx, eng, cal, o.webAddr, env.demoWebServing)
	}

	section(d.out, msgDemoDay)
	spans := []demoDaySpan{
		{title: msgDemoMonday, legend: true, from: start, to: time.Date(2026, time.March, 2, 16, 0, 0, 0, loc)},
		{title: msgDemoTuesday, from: time.Date(2026, time.March, 3, 7, 45, 0, 0, loc), to: time.Date(2026, time.March, 3, 12, 0, 0, 0, loc)},
	}
	staff := demoStaff(loc)
	idle, idleCalls, err := d.runDays(ctx, eng, spans, day, staff)
	if err != nil {
		return err
	}
	if idle > 0 {
		fmt.Fprintf(d.out, "  "+msgDemoIdle+"\n", idle, idleCalls)
	}

	if env.demoFinished != nil {
		env.demoFinished(d)
	}
	if err := d.printTracker(); err != nil {
		return err
	}
	d.printEmails()
	checkErr := d.printChecks(ctx, day, staff)
	d.printCalls()
	if o.web {
		if err := d.serveWeb(ctx, eng, cal, o.webAddr, env.demoWebServing); err != nil {
			return err
		}
	}
	return checkErr
}

// demoDaySpan is one simulated office day of the demo: cycles run every
// demoEvery from from to to.
type demoDaySpan struct {
	title    string
	from, to time.Time
	legend   bool // print how to read the cycle lines first
}

// runDays plays the days: requesters' and staff's events at their times
// and a cycle every demoEvery over each span. It returns the number of
// idle cycles and the most API calls one of them made.
func (d *demoRun) runDays(ctx context.Context, eng *ksync.Engine, spans []demoDaySpan, day []demoEvent, staff []demoStaffEvent) (idle, idleCalls int, err error) {
	next, nextStaff := 0, 0
	for _, sp := range spans {
		if sp.legend {
			for _, l := range msgDemoLegend {
				fmt.Fprintf(d.out, "  %s\n", l)
			}
		}
		fmt.Fprintf(d.out, "  -- %s --\n", sp.title)
		for t := sp.from; !t.After(sp.to); t = t.Add(demoEvery) {
			for {
				requester := next < len(day) && !day[next].at.After(t)
				office := nextStaff < len(staff) && !staff[nextStaff].at.After(t)
				if requester && (!office || !staff[nextStaff].at.Before(day[next].at)) {
					if err := d.play(day[next]); err != nil {
						return 0, 0, err
					}
					next++
				} else if office {
					if err := d.playStaff(staff[nextStaff]); err != nil {
						return 0, 0, err
					}
					nextStaff++
				} else {
					break
				}
			}
			d.clk.Set(t)
			rowsBefore := d.trackerRows()
			before := d.srv.TotalCalls()
			rep, err := eng.RunCycle(ctx)
			if err != nil {
				return 0, 0, fmt.Errorf(msgDemoCycle, t.Format("02/01 15:04"), err)
			}
			calls := d.srv.TotalCalls() - before
			sent := d.srv.Sent("me")
			fresh := sent[len(d.sent):]
			for _, m := range fresh {
				d.sent = append(d.sent, sentAt{at: t, msg: m})
			}
			if !cycleDidWork(rep) {
				idle++
				idleCalls = max(idleCalls, calls)
				continue
			}
			fmt.Fprintf(d.out, "  %s  %s · %d panggilan API\n", t.Format("15:04"), compactSummary(rep), calls)
			if kinds := emailKinds(fresh); kinds != "" {
				fmt.Fprintf(d.out, "         "+msgDemoEmailKinds+"\n", kinds)
			}
			if rep.Updated+rep.AnswersRecorded > 0 {
				if changed := changedRows(d.header, rowsBefore, d.trackerRows()); changed != "" {
					fmt.Fprintf(d.out, "         "+msgDemoRowsChanged+"\n", changed)
				}
			}
			if rep.Failed > 0 {
				fmt.Fprintf(d.out, "         %s\n", msgDemoFailedWhy)
			}
		}
	}
	return idle, idleCalls, nil
}

// playStaff edits the tracking Sheet as staff would by hand: it finds
// the ticket's row and the columns by their header text, then writes the
// answer and the status.
func (d *demoRun) playStaff(ev demoStaffEvent) error {
	d.clk.Set(ev.at)
	id := d.cfg.Tracker.SpreadsheetID
	values, err := d.srv.SpreadsheetValues(id, "Konsultasi")
	if err != nil {
		return fmt.Errorf(msgDemoRead, err)
	}
	if len(values) == 0 {
		return errors.New(msgDemoNoHeader)
	}
	tc := slices.Index(values[0], "No. Tiket")
	row := -1
	for i, r := range values[1:] {
		if tc >= 0 && tc < len(r) && r[tc] == ev.ticket {
			row = i + 1
			break
		}
	}
	if row < 0 {
		return fmt.Errorf(msgDemoNoRow, ev.ticket)
	}
	cells := [][2]string{}
	if ev.answer != "" {
		cells = append(cells, [2]string{"Jawaban", ev.answer})
	}
	cells = append(cells, [2]string{"Status", string(ev.status)})
	for _, c := range cells {
		col := slices.Index(values[0], c[0])
		if col < 0 {
			return fmt.Errorf(msgDemoNoColumn, c[0])
		}
		a1 := fmt.Sprintf("%s!%s%d", google.QuoteSheetName("Konsultasi"), columnLetters(col), row+1)
		if err := d.srv.SetValues(id, a1, [][]any{{c[1]}}, true); err != nil {
			return fmt.Errorf(msgDemoStaffWrite, ev.ticket, err)
		}
	}
	what := fmt.Sprintf(msgDemoStaffStatus, ev.who, ev.ticket, ev.status)
	if ev.answer != "" {
		what = fmt.Sprintf(msgDemoStaffAnswer, ev.who, ev.ticket, strings.Count(strings.TrimSpace(ev.answer), "\n")+1, ev.status)
	}
	fmt.Fprintf(d.out, "  %s  %s\n", ev.at.Format("15:04"), what)
	return nil
}

// nameRoster does what the admin does first in a real office: replace
// the example roster's placeholder names (job titles) in the Konsuler tab
// with the consultants' own names, so the tracker's Konsuler column shows
// people. Their positions stay in the role column.
func (d *demoRun) nameRoster() error {
	id := d.cfg.Tracker.SpreadsheetID
	tab := google.RosterTab.Title
	values, err := d.srv.SpreadsheetValues(id, tab)
	if err != nil || len(values) == 0 {
		return fmt.Errorf(msgDemoRead, err)
	}
	nameCol, mailCol := slices.Index(values[0], "Nama"), slices.Index(values[0], "Email")
	if nameCol < 0 || mailCol < 0 {
		return fmt.Errorf(msgDemoNoColumn, "Nama")
	}
	for i, r := range values[1:] {
		if mailCol >= len(r) {
			continue
		}
		name, ok := demoConsultants[r[mailCol]]
		if !ok {
			continue
		}
		a1 := fmt.Sprintf("%s!%s%d", google.QuoteSheetName(tab), columnLetters(nameCol), i+2)
		if err := d.srv.SetValues(id, a1, [][]any{{name}}, true); err != nil {
			return fmt.Errorf(msgDemoStaffWrite, tab, err)
		}
	}
	fmt.Fprintln(d.out, "  "+msgDemoRoster)
	return nil
}

// columnLetters is the A1 letters of a 0-based column index.
func columnLetters(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// play submits or edits a response as the requester would.
func (d *demoRun) play(ev demoEvent) error {
	d.clk.Set(ev.at)
	answers := map[string]*forms.Answer{}
	for f, v := range ev.sub {
		if v == "" {
			continue
		}
		answers[d.ws.Questions[f]] = &forms.Answer{TextAnswers: &forms.TextAnswers{Answers: []*forms.TextAnswer{{Value: v}}}}
	}
	what := msgDemoSubmitted
	if ev.edit >= 0 {
		what = msgDemoEdited
		if _, err := d.srv.EditResponse(d.cfg.Intake.FormID, d.responses[ev.edit], answers); err != nil {
			return fmt.Errorf(msgDemoSubmit, err)
		}
		d.responses = append(d.responses, d.responses[ev.edit])
	} else {
		r, err := d.srv.SubmitResponse(d.cfg.Intake.FormID, answers, "")
		if err != nil {
			return fmt.Errorf(msgDemoSubmit, err)
		}
		d.responses = append(d.responses, r.ResponseId)
	}
	line := fmt.Sprintf("  %s  %s: %s", ev.at.Format("15:04"), what, ev.sub[rules.FieldTopik])
	if ev.note != "" {
		line += " (" + ev.note + ")"
	}
	fmt.Fprintln(d.out, line)
	return nil
}

// cycleDidWork reports whether a cycle changed anything. Responses
// alone are re-read ones (the cursor's safety overlap).
func cycleDidWork(rep *ksync.Report) bool {
	return rep.NewCases+rep.Updated+rep.Incomplete+rep.EditsNoted+rep.Deleted+rep.Sent+rep.Deferred+rep.Failed+rep.Withdrawn+
		rep.AnswersQueued+rep.AnswersRecorded+rep.Reminders > 0
}

// compactSummary is the demo's one-line cycle summary: non-zero counts of
// what the cycle did. Responses read are left out: the cursor's safety
// overlap re-reads the last ones, which would read as new work.
func compactSummary(r *ksync.Report) string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(r.NewCases, "kasus baru")
	add(r.Updated, "baris diperbarui")
	add(r.Incomplete, "kurang lengkap")
	add(r.Unassigned, "tanpa konsuler")
	add(r.EditsNoted, "suntingan dicatat")
	add(r.AnswersQueued, "jawaban disetujui diantrekan")
	add(r.AnswersRecorded, "baris ditandai Terkirim")
	add(r.Reminders, "pengingat/pemberitahuan")
	add(r.Sent, "email terkirim")
	add(r.Deferred, "email ditunda")
	add(r.Failed, "email gagal")
	add(r.Withdrawn, "pengingat ditarik")
	return "siklus: " + strings.Join(parts, ", ")
}

// section prints a heading.
func section(w io.Writer, title string) {
	fmt.Fprintf(w, "\n== %s ==\n", title)
}

// indented prefixes every line written through it with two spaces.
type indented struct {
	w   io.Writer
	mid bool // in the middle of a line
}

func (i *indented) Write(p []byte) (int, error) {
	var b strings.Builder
	for _, c := range string(p) {
		if !i.mid {
			b.WriteString("  ")
			i.mid = true
		}
		b.WriteRune(c)
		if c == '\n' {
			i.mid = false
		}
	}
	if _, err := io.WriteString(i.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}
