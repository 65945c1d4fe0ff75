package sync

import (
	"bytes"
	"flag"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"kopi/google"
	"kopi/rules"
	"kopi/sop"
)

var update = flag.Bool("update", false, "rewrite the golden email files")

// goldenEngine is an engine with the built-in templates and a fixed
// office, enough to compose emails.
func goldenEngine(t *testing.T) (*Engine, *plan, time.Time) {
	t.Helper()
	cfg := rules.DefaultConfig()
	cfg.TimeZone = "Asia/Jakarta"
	cfg.Intake.FormID = "form-1"
	cfg.Tracker.SpreadsheetID = "sheet-1"
	cfg.Mail.Sender = rules.Address{Name: "Admin KOPI Inspektorat Kabupaten Contoh", Address: "kopi@example.go.id"}
	cfg.Mail.Admins = []string{"admin.kopi@example.go.id"}
	cfg.Survey.URL = "https://forms.gle/skm-kopi"
	cfg.Topics[1].Supervisor = "irban1@example.go.id"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cal, err := cfg.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{o: Options{Config: cfg, Calendar: cal, Templates: tmpl, FormURL: "https://forms.gle/kopi", SheetURL: "https://docs.google.com/spreadsheets/d/sheet-1/edit"}, loc: cfg.Location(), kopi: sop.KOPI().WithStandards(cfg.SOP.Steps)}
	loc := cfg.Location()
	now := time.Date(2026, 4, 14, 7, 35, 0, 0, loc)
	c := &rules.TrackedCase{AnchorID: 202600001}
	c.Ticket = rules.Ticket{Year: 2026, Seq: 1}
	c.ResponseID = "resp-1"
	// A name that tries to start a header of its own.
	c.Name = "Siti Nurhaliza\r\nBcc: mata-mata@example.com"
	c.Unit = "Pemerintah Desa Sukamaju"
	c.Email = "siti@desa.example.id"
	c.WhatsApp = "0812-3456-7890"
	c.Topic = cfg.TopicNames()[1]
	c.Question = "Bagaimana tata cara tindak lanjut <rekomendasi> BPK?\nMohon penjelasan & contoh."
	c.SubmittedAt = time.Date(2026, 4, 13, 9, 15, 0, 0, loc)
	c.Status = rules.StatusDisetujui
	c.Consultant = "Irban Wilayah I"
	c.ConsultantEmail = "irban1@example.go.id"
	c.AssignedAt = c.SubmittedAt
	c.Deadline = time.Date(2026, 4, 14, 9, 45, 0, 0, loc)
	c.Answer = "Tindak lanjut dilaporkan paling lambat 60 hari.\nLihat https://jdih.bpk.go.id/peraturan.\n<b>Catatan</b>: lampirkan bukti."
	inc := &rules.TrackedCase{AnchorID: 202600002}
	inc.Ticket = rules.Ticket{Year: 2026, Seq: 2}
	inc.Name, inc.Email, inc.Topic, inc.Status = "Budi", "budi@desa.example.id", cfg.TopicNames()[3], rules.StatusKurangLengkap
	inc.Missing = []rules.Missing{{Message: "Dokumen pendukung belum dilampirkan"}}
	inc.SubmittedAt = c.SubmittedAt
	snap := &rules.Snapshot{Roster: []rules.Consultant{{Name: c.Consultant, Email: c.ConsultantEmail, Role: "Inspektur Pembantu Wilayah I"}}}
	// March's cases, for the month-end report composed in April.
	for i, st := range []rules.Status{rules.StatusTerkirim, rules.StatusTerkirim, rules.StatusDitugaskan} {
		m := rules.TrackedCase{}
		m.Ticket = rules.Ticket{Year: 2026, Seq: 10 + i}
		m.Topic, m.Status, m.Consultant = cfg.TopicNames()[i], st, "Irban Wilayah I"
		m.SubmittedAt = time.Date(2026, 3, 23+i, 9, 0, 0, 0, loc)
		m.AssignedAt = m.SubmittedAt.Add(20 * time.Minute)
		if st == rules.StatusTerkirim {
			m.AnsweredAt = m.AssignedAt.Add(time.Duration(3+20*i) * time.Hour)
			m.SentAt = m.AnsweredAt.Add(15 * time.Minute)
		}
		snap.Cases = append(snap.Cases, m)
	}
	snap.Surveys = []rules.SurveyRecord{{SurveyResponse: rules.SurveyResponse{ResponseID: "s1", TicketText: "KOPI-2026-0010",
		SubmittedAt: time.Date(2026, 3, 27, 10, 0, 0, 0, loc), Scores: rules.SKMScores{4, 3, 3, 4, 3, 4, 4, 3, 3}}}}
	p := &plan{cases: map[rules.Ticket]*rules.TrackedCase{c.Ticket: c, inc.Ticket: inc}, snap: snap, answerReady: map[rules.Ticket]string{}}
	return e, p, now
}

var boundaryRE = regexp.MustCompile(`[0-9a-f]{60}`)

// TestGoldenEmails renders every email kind, checks it against its golden
// file (go test ./sync -run TestGoldenEmails -update rewrites them) and
// parses it back with a MIME parser: one recipient (the overdue notice
// adds the admins in Cc), the subject and parts decode to what was
// rendered, both parts are UTF-8 quoted-printable, and no input became a
// header.
func TestGoldenEmails(t *testing.T) {
	t.Parallel()
	e, p, now := goldenEngine(t)
	tests := []struct {
		kind, recipient string
		ticket          int
		cc              int
	}{
		{KindReceipt, recipientSender, 1, 0},
		{KindIncomplete, recipientSender, 2, 0},
		{KindAssignment, recipientConsult, 1, 0},
		{KindUnassigned, recipientAdmin, 1, 0},
		{KindAnswer, recipientSender, 1, 0},
		{KindReminder, recipientConsult, 1, 0},
		{KindOverdue, recipientConsultAdmin, 1, 1},
		{KindEscalation, recipientSupervisor, 1, 0},
		{KindDigest, recipientAdmin, 0, 0},
		{KindMonthReport, recipientSecretariat, 0, 0},
		{KindSurveyFollowUp, recipientSender, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			d := &rules.Delivery{Key: rules.EmailKey("form-1", "resp-1", tc.kind), Kind: tc.kind, Recipient: tc.recipient, At: now}
			if tc.ticket > 0 {
				d.Ticket = rules.Ticket{Year: 2026, Seq: tc.ticket}
			}
			email, err := e.compose(p, d, now)
			if err != nil {
				t.Fatal(err)
			}
			if tc.kind == KindAnswer {
				email.ThreadID, email.InReplyTo, email.References = "18f0c0ffee", "<CAreceipt@mail.gmail.com>", []string{"<CAreceipt@mail.gmail.com>"}
			}
			raw, err := google.ComposeMIME(email, now, "<"+d.Key+"@example.go.id>")
			if err != nil {
				t.Fatal(err)
			}
			got := boundaryRE.ReplaceAll(raw, []byte("BOUNDARY"))
			path := filepath.Join("testdata", "golden", tc.kind+".eml")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from its golden file; run go test ./sync -run TestGoldenEmails -update and review the diff", path)
			}
			checkParsed(t, raw, email, tc.cc)
		})
	}
}

func checkParsed(t *testing.T, raw []byte, email rules.Email, cc int) {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	h := r.Header
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 {
		t.Fatalf("To = %v (%v), want one recipient", to, err)
	}
	ccs, _ := h.AddressList("Cc")
	if len(ccs) != cc {
		t.Errorf("Cc = %v, want %d", ccs, cc)
	}
	for _, bad := range []string{"Bcc", "X-Injected"} {
		if h.Has(bad) {
			t.Errorf("header %s present", bad)
		}
	}
	for f := h.Fields(); f.Next(); {
		if strings.Contains(f.Value(), "\n") || strings.Contains(f.Value(), "mata-mata") && f.Key() != "To" {
			t.Errorf("header %s carries input: %q", f.Key(), f.Value())
		}
	}
	if subj, err := h.Subject(); err != nil || subj != email.Subject {
		t.Errorf("subject %q (%v), want %q", subj, err, email.Subject)
	}
	if email.InReplyTo != "" {
		if ids, err := h.MsgIDList("In-Reply-To"); err != nil || len(ids) != 1 || "<"+ids[0]+">" != email.InReplyTo {
			t.Errorf("In-Reply-To = %v (%v)", ids, err)
		}
	}
	parts := 0
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ih, ok := part.Header.(*gomail.InlineHeader)
		if !ok {
			t.Fatal("attachment in a kopi email")
		}
		ct, params, _ := ih.ContentType()
		if params["charset"] != "utf-8" || ih.Get("Content-Transfer-Encoding") != "quoted-printable" {
			t.Errorf("%s part: charset %q, encoding %q", ct, params["charset"], ih.Get("Content-Transfer-Encoding"))
		}
		body, _ := io.ReadAll(part.Body)
		want := email.Text
		if ct == "text/html" {
			want = email.HTML
		}
		if strings.ReplaceAll(string(body), "\r\n", "\n") != strings.ReplaceAll(want, "\r\n", "\n") {
			t.Errorf("%s part does not decode to what was rendered", ct)
		}
		if ct == "text/html" && (strings.Contains(string(body), "<b>Catatan") || strings.Contains(string(body), "<rekomendasi>")) {
			t.Errorf("input markup not escaped in HTML")
		}
		parts++
	}
	if parts != 2 {
		t.Errorf("%d parts, want text and HTML", parts)
	}
	if _, err := mail.ParseAddress(to[0].Address); err != nil {
		t.Errorf("recipient %q: %v", to[0].Address, err)
	}
}
