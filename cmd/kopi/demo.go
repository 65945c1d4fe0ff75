package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	fs := newFlagSet(env, "demo", "[--log-level warn] [--log-format text]")
	lc := rules.LogConfig{Format: "text", Level: "warn"}
	fs.StringVar(&lc.Level, "log-level", lc.Level, "tingkat log: debug, info, warn, error")
	fs.StringVar(&lc.Format, "log-format", lc.Format, "format log: text atau json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	return demo(ctx, env, lc)
}

// demoFinished, when set (by tests), sees the demo's Workspace after the
// day has been played.
var demoFinished func(d *demoRun)

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
	clk       *simClock
	srv       *fake.Server
	cfg       *rules.Config
	ws        *google.Workspace
	responses []string // response id per demo event (edits repeat the original's)
	sent      []sentAt
}

// demo runs a simulated working day of the KOPI service against the
// in-process fake Workspace and prints what staff and requesters would
// see. It needs no Google account and no network beyond loopback.
func demo(ctx context.Context, env *environment, lc rules.LogConfig) error {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return err
	}
	day := demoDay(loc)
	start := time.Date(2026, time.March, 2, 7, 45, 0, 0, loc)
	d := &demoRun{out: env.stdout, clk: &simClock{t: start}}
	// Log lines carry the simulated office time.
	logger, err := newLoggerAt(env.stderr, lc, d.clk.Now)
	if err != nil {
		return err
	}
	d.srv, err = fake.New(fake.Options{Now: d.clk.Now, Account: demoSender})
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

	fmt.Fprintf(d.out, msgDemoTitle+"\n", d.srv.URL())
	retrier := &google.Retrier{Clock: d.clk, Logger: logger}
	gopts := google.Options{Endpoint: d.srv.URL(), HTTPClient: d.srv.HTTPClient()}

	section(d.out, msgDemoInit)
	err = initOffice(ctx, &indented{w: d.out}, initSetup{
		cfg: d.cfg, google: gopts, retrier: retrier, createForm: true, title: defaultTitle,
	})
	if err != nil {
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

	section(d.out, msgDemoDay)
	idle, idleCalls, err := d.runDay(ctx, eng, day, start)
	if err != nil {
		return err
	}
	if idle > 0 {
		fmt.Fprintf(d.out, "  "+msgDemoIdle+"\n", idle, idleCalls)
	}

	if demoFinished != nil {
		demoFinished(d)
	}
	if err := d.printTracker(); err != nil {
		return err
	}
	d.printEmails()
	checkErr := d.printChecks(ctx, day)
	d.printCalls()
	return checkErr
}

// runDay plays the day: requesters' events at their times and a cycle
// every demoEvery until the last event has been handled and the office
// has closed. It returns the number of idle cycles and the most API
// calls one of them made.
func (d *demoRun) runDay(ctx context.Context, eng *ksync.Engine, day []demoEvent, start time.Time) (idle, idleCalls int, err error) {
	end := time.Date(start.Year(), start.Month(), start.Day(), 16, 0, 0, 0, start.Location())
	next := 0
	for t := start; !t.After(end); t = t.Add(demoEvery) {
		for ; next < len(day) && !day[next].at.After(t); next++ {
			if err := d.play(day[next]); err != nil {
				return 0, 0, err
			}
		}
		d.clk.Set(t)
		before := d.srv.TotalCalls()
		rep, err := eng.RunCycle(ctx)
		if err != nil {
			return 0, 0, fmt.Errorf(msgDemoCycle, t.Format("15:04"), err)
		}
		calls := d.srv.TotalCalls() - before
		sent := d.srv.Sent("me")
		for _, m := range sent[len(d.sent):] {
			d.sent = append(d.sent, sentAt{at: t, msg: m})
		}
		// Responses alone are re-read ones (the cursor's safety overlap).
		if rep.NewCases+rep.Updated+rep.Incomplete+rep.EditsNoted+rep.Deleted+rep.Sent+rep.Deferred+rep.Failed == 0 {
			idle++
			idleCalls = max(idleCalls, calls)
			continue
		}
		fmt.Fprintf(d.out, "  %s  %s · %d panggilan API\n", t.Format("15:04"), compactSummary(rep), calls)
	}
	return idle, idleCalls, nil
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
	add(r.Sent, "email terkirim")
	add(r.Deferred, "email ditunda")
	add(r.Failed, "email gagal")
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
