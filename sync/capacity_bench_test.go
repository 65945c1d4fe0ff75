package sync_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
	"kopi/sync"
)

// officeOn creates one office (form, spreadsheet, roster) on a shared
// fake Workspace, as setup does on a fake of its own.
func officeOn(tb testing.TB, srv *fake.Server, clock *fake.Clock, i int) *env {
	tb.Helper()
	e := &env{t: &testing.T{}, ctx: context.Background(), srv: srv, clock: clock}
	e.transport = &crashTransport{base: srv.HTTPClient().Transport}
	cfg := rules.DefaultConfig()
	cfg.Mail.Sender = rules.Address{Name: fmt.Sprintf("Admin KOPI Kantor %d", i), Address: "kopi@example.go.id"}
	cfg.Mail.Admins = []string{"admin.kopi@example.go.id"}
	cfg.Mail.DailyLimit = 10000
	cfg.Google.Endpoint = srv.URL()
	svc, err := google.NewServices(e.ctx, google.Options{Endpoint: srv.URL(), HTTPClient: srv.HTTPClient()})
	if err != nil {
		tb.Fatal(err)
	}
	r := &google.Retrier{Clock: clock}
	form, err := google.CreateIntakeForm(e.ctx, svc.Forms, r, cfg, fmt.Sprintf("Formulir KOPI %d", i))
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Intake.FormID = form.ID
	sheetID, err := google.CreateSpreadsheet(e.ctx, svc.Sheets, r, fmt.Sprintf("KOPI %d", i), "Asia/Jakarta")
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Tracker.SpreadsheetID = sheetID
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	tr := google.NewTracker(google.NewSheets(svc.Sheets, r, sheetID), cfg)
	if _, err := google.NewSheets(svc.Sheets, r, sheetID).Ensure(e.ctx, tr.Schemas(), google.Seed{google.RosterTab.Title: google.ExampleRoster(cfg)}); err != nil {
		tb.Fatal(err)
	}
	e.cfg, e.formID, e.sheetID = cfg, form.ID, sheetID
	if e.cal, err = cfg.Calendar(); err != nil {
		tb.Fatal(err)
	}
	ws, err := e.connect()
	if err != nil {
		tb.Fatal(err)
	}
	e.questions = ws.Questions
	return e
}

// onceCycle is what `kopi once` does against Google (cmd/kopi once.go):
// connect fresh adapters (a new process) without reading the form, one
// spreadsheets.get that serves the instance-lock check, the cached form
// and the cycle's tracker read, then one cycle.
func onceCycle(e *env, tmpl *sync.Templates) (*sync.Report, error) {
	ws, err := google.Connect(e.ctx, e.cfg, google.Options{
		Endpoint: e.srv.URL(), HTTPClient: &http.Client{Transport: e.transport}, DeferForm: true,
	}, &google.Retrier{Clock: e.clock}, e.clock.Now)
	if err != nil {
		return nil, err
	}
	pre, err := ws.Tracker.Preload(e.ctx)
	if err != nil {
		return nil, err
	}
	lock := sync.NewLock(sync.LockOptions{Store: google.NewPreloadedBeats(ws.Sheets, pre), Host: "bench", Now: e.clock.Now})
	if err := lock.Check(e.ctx); err != nil {
		return nil, err
	}
	if pre.Form.Fresh(e.cfg.Intake.FormID, e.clock.Now()) {
		err = ws.UseForm(e.cfg, pre.Form.Info)
	} else {
		err = ws.RefreshForm(e.ctx, e.cfg, pre, e.clock.Now())
	}
	if err != nil {
		return nil, err
	}
	eng, err := sync.New(sync.Options{
		Config: e.cfg, Calendar: e.cal, Forms: ws.Forms, Tracker: sync.TrackerOf(ws.Tracker), Mailer: ws.Gmail,
		Templates: tmpl, Questions: ws.Questions, FormURL: ws.FormURL, SheetURL: ws.SheetURL, SOPs: ws.SOPs,
		Now: e.clock.Now, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return nil, err
	}
	return eng.RunCycle(e.ctx)
}

// BenchmarkOffices is the capacity figure: N offices against one fake
// Workspace, each running `kopi once` once per round (a round is one
// minute of office hours). "idle" rounds find nothing new; in "busy"
// rounds every office has one new response (a case row and a receipt).
// It reports per office-cycle the CPU time of the whole process (kopi
// and the in-process fake together: an upper bound for kopi), the bytes
// allocated and the API calls, and per round the wall time.
func BenchmarkOffices(b *testing.B) {
	tmpl, err := sync.LoadTemplates("")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 10, 50} {
		for _, busy := range []bool{false, true} {
			name := fmt.Sprintf("offices=%d/idle", n)
			if busy {
				name = fmt.Sprintf("offices=%d/busy", n)
			}
			b.Run(name, func(b *testing.B) {
				clock := fake.NewClock(time.Date(2026, 3, 2, 8, 0, 0, 0, wib))
				srv, err := fake.New(fake.Options{Now: clock.Now})
				if err != nil {
					b.Fatal(err)
				}
				defer srv.Close()
				offices := make([]*env, n)
				for i := range offices {
					offices[i] = officeOn(b, srv, clock, i)
					// The first cycle creates the office's state: not
					// what a steady day costs.
					if _, err := onceCycle(offices[i], tmpl); err != nil {
						b.Fatal(err)
					}
				}
				topics := offices[0].cfg.TopicNames()
				srv.ResetCalls()
				var cpu time.Duration
				var sent int
				b.ReportAllocs()
				b.ResetTimer()
				for r := 0; r < b.N; r++ {
					b.StopTimer()
					clock.Advance(time.Minute)
					if busy {
						for i, e := range offices {
							e.submit(complete(fmt.Sprintf("r%di%d", r, i), topics[(r+i)%len(topics)]))
						}
					}
					c0 := cpuTime()
					b.StartTimer()
					for _, e := range offices {
						rep, err := onceCycle(e, tmpl)
						if err != nil {
							b.Fatal(err)
						}
						sent += rep.Sent
					}
					b.StopTimer()
					cpu += cpuTime() - c0
				}
				cycles := float64(n * b.N)
				s, f, g := callsOf(srv.Calls())
				b.ReportMetric(float64(cpu.Microseconds())/1000/cycles, "cpu-ms/office-cycle")
				b.ReportMetric(float64(s+f+g)/cycles, "calls/office-cycle")
				b.ReportMetric(float64(s)/cycles, "sheets/office-cycle")
				b.ReportMetric(float64(f)/cycles, "forms/office-cycle")
				b.ReportMetric(float64(g)/cycles, "gmail/office-cycle")
				b.ReportMetric(float64(sent)/cycles, "emails/office-cycle")
			})
		}
	}
}
