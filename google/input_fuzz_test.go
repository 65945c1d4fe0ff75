package google

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/google/fake"
	"kopi/rules"
)

// FuzzA1Range checks kopi's A1 ranges against the fake's parser, which
// follows Sheets' documented syntax: a tab title of any spelling, quoted
// by QuoteSheetName, with a cell named by colLetters, writes exactly that
// cell of exactly that tab; the whole-tab range reads that tab; and
// colLetters is the bijective base-26 column name (A…Z, AA…ZZZ).
func FuzzA1Range(f *testing.F) {
	for _, s := range []string{
		"Konsultasi", "Konsuler", "Laporan", "_kopi_state", "Riwayat 2025", "It's", "''", "A1", "R1C1", "Sheet1!A1",
		"=HYPERLINK(\"x\")", "\u202eبات", "名前", "a:b", "x!", " lead", "trail ",
	} {
		f.Add(s, uint16(0), uint16(0))
		f.Add(s, uint16(25), uint16(999))
	}
	f.Add("Konsultasi", uint16(18277), uint16(3))
	var srv *fake.Server
	inputs := 0
	f.Fuzz(func(t *testing.T, title string, col, row uint16) {
		letters := colLetters(int(col) % 18278)
		if got := columnIndexOf(letters); got != int(col)%18278 || len(letters) > 3 || strings.Trim(letters, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			t.Fatalf("colLetters(%d) = %q, which names column %d", int(col)%18278, letters, got)
		}
		if strings.TrimSpace(title) == "" || strings.EqualFold(title, "Lain") || strings.ContainsAny(title, "\x00") || !validUTF8(title) {
			return // Sheets refuses such titles; "Lain" is the other tab
		}
		if srv == nil || inputs%1000 == 0 {
			var err error
			if srv, err = fake.New(fake.Options{NoListener: true}); err != nil {
				t.Fatal(err)
			}
		}
		inputs++
		id, err := srv.SeedSpreadsheet("Pelacak", "Lain", title)
		if err != nil {
			t.Fatal(err)
		}
		c, r := int(col)%26, int(row)%1000
		a1 := QuoteSheetName(title) + "!" + colLetters(c) + strconv.Itoa(r+1)
		if err := srv.SetValues(id, a1, [][]any{{"v"}}, false); err != nil {
			t.Fatalf("write %q: %v", a1, err)
		}
		ss, err := srv.Spreadsheet(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range ss.Sheets {
			var at []string
			for _, d := range sh.Data {
				for ri, rd := range d.RowData {
					for ci, v := range rd.Values {
						if v.UserEnteredValue != nil && v.UserEnteredValue.StringValue != nil {
							at = append(at, strconv.Itoa(int(d.StartRow)+ri)+","+strconv.Itoa(int(d.StartColumn)+ci))
						}
					}
				}
			}
			want := []string(nil)
			if sh.Properties.Title == title {
				want = []string{strconv.Itoa(r) + "," + strconv.Itoa(c)}
			}
			if strings.Join(at, " ") != strings.Join(want, " ") {
				t.Fatalf("%q wrote tab %q at %v, want %v", a1, sh.Properties.Title, at, want)
			}
		}
		rows, err := srv.SpreadsheetValues(id, QuoteSheetName(title))
		if err != nil || len(rows) <= r || rows[r][c] != "v" {
			t.Fatalf("read %q: %v", QuoteSheetName(title), err)
		}
	})
}

// piiMark starts every answer FuzzDecodeResponse gives.
const piiMark = "⟦pribadi⟧"

// columnIndexOf reads column letters back (bijective base 26), 0-based.
func columnIndexOf(letters string) int {
	n := 0
	for _, c := range letters {
		n = n*26 + int(c-'A'+1)
	}
	return n - 1
}

func validUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// FuzzDecodeResponse decodes Forms API responses with arbitrary answers
// into submissions: every text is kept exactly as typed (CR/LF, NUL,
// formula prefixes, right-to-left marks, 60,000 characters), the
// respondent's collected address stands in for an empty email answer,
// attachments are the typed links and Drive uploads, and an error names
// the response but never an answer (no personal data in logs).
func FuzzDecodeResponse(f *testing.F) {
	f.Add("Budi Santoso", "budi@x.go.id", "0812-3456-7890", "Bagaimana reviu RKA?", "https://drive.google.com/x  https://y", "1AbC", "2026-03-02T02:15:04.123Z")
	f.Add("Budi\r\nBcc: x@y.z", "", "+62=1", "=IMPORTDATA(\"x\")\x00", "", "", "2026-03-02T02:15:04Z")
	f.Add("\u202eملف", "\xff", "@SUM(A1)", strings.Repeat("Pertanyaan panjang ", 3200), "\t\n", "..", "kemarin")
	f.Add("", "", "", "", "", "", "")
	ids := map[rules.Field]string{
		rules.FieldNama: "q1", rules.FieldEmail: "q2", rules.FieldWhatsApp: "q3", rules.FieldPertanyaan: "q4", rules.FieldLampiran: "q5",
		rules.FieldInstansi: "q6", rules.FieldTopik: "q7",
	}
	f.Fuzz(func(t *testing.T, name, email, phone, question, links, fileID, created string) {
		// Every answer carries a mark, so an error that repeats one is
		// told from an error that happens to share a few characters.
		name, email, phone, question, links = piiMark+name, piiMark+email, piiMark+phone, piiMark+question, piiMark+links
		text := func(vs ...string) forms.Answer {
			a := forms.Answer{TextAnswers: &forms.TextAnswers{}}
			for _, v := range vs {
				a.TextAnswers.Answers = append(a.TextAnswers.Answers, &forms.TextAnswer{Value: v})
			}
			return a
		}
		answers := map[string]forms.Answer{
			"q1": text(name), "q3": text(phone), "q4": text(question, name), "q5": text(links),
		}
		if email != piiMark {
			answers["q2"] = text(email)
		}
		if fileID != "" {
			a := answers["q5"]
			a.FileUploadAnswers = &forms.FileUploadAnswers{Answers: []*forms.FileUploadAnswer{{FileId: fileID}}}
			answers["q5"] = a
		}
		r := &forms.FormResponse{ResponseId: "ACYDBN", CreateTime: created, LastSubmittedTime: created, Answers: answers, RespondentEmail: "kolektor@x.go.id"}
		s, err := decodeResponse(r, ids)
		if err != nil {
			if strings.Contains(err.Error(), piiMark) && !strings.Contains(created, piiMark) {
				t.Fatalf("decode error %q shows an answer", err)
			}
			if !strings.Contains(err.Error(), "ACYDBN") {
				t.Fatalf("decode error %q does not name the response", err)
			}
			return
		}
		if s.Name != name || s.WhatsApp != phone || s.Question != question+"\n"+name || s.ResponseID != "ACYDBN" {
			t.Fatalf("decoded %+v, not the answers as typed", s)
		}
		if (email == piiMark && s.Email != "kolektor@x.go.id") || (email != piiMark && s.Email != email) {
			t.Fatalf("email %q decoded as %q", email, s.Email)
		}
		want := strings.Fields(links)
		if fileID != "" {
			want = append(want, strings.Fields("https://drive.google.com/open?id="+fileID)...)
		}
		if strings.Join(s.Attachments, "\n") != strings.Join(want, "\n") {
			t.Fatalf("attachments %q decoded as %q", want, s.Attachments)
		}
		if s.Unit != "" || s.Topic != "" {
			t.Fatalf("unanswered questions decoded as %q, %q", s.Unit, s.Topic)
		}
	})
}

// FuzzStaffCells reads what staff type into tracker cells kopi parses
// (dates on the roster, times, the Retry-After header of a refusal):
// every accepted date reads back from its ISO form, every time
// kopi reads, written back as a cell, reads as the same cell, and a Retry-After is never
// negative nor beyond a day.
func FuzzStaffCells(f *testing.F) {
	for _, s := range []string{
		"2026-03-18", "18/03/2026", "8/3/2026", "18-03-2026", "2026-3-18", "31/02/2026", "2026-03-02 09:15", "2026-03-02T02:15:04.5Z",
		"120", "-1", "99999999999999999999", "Wed, 21 Oct 2026 07:28:00 GMT", "Mon, 02 Jan 2006 15:04:05 MST", "", " ", "=TODAY()",
	} {
		f.Add(s)
	}
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		f.Fatal(err)
	}
	tr := &Tracker{loc: jakarta}
	now := time.Date(2026, 10, 21, 7, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		if d, ok := parseDay(in); ok {
			if again, ok := parseDay(d.String()); !ok || again != d {
				t.Fatalf("parseDay(%q) = %v, which reads back as %v %v", in, d, again, ok)
			}
		}
		if v := tr.parseTime(in); !v.IsZero() {
			// A cell holds minutes in the office's zone: what kopi writes
			// back reads as the same cell text.
			f := tr.formatTime(v)
			if w := tr.parseTime(f); w.IsZero() || tr.formatTime(w) != f {
				t.Fatalf("parseTime(%q) = %v, written %q reads back as %v", in, v, f, w)
			}
		}
		if d, ok := parseRetryAfter(in, now); ok {
			if _, err := strconv.Atoi(in); d < 0 || (err == nil && d > maxRetryAfterSeconds*time.Second) {
				t.Fatalf("parseRetryAfter(%q) = %v, outside [0, 1 day] for seconds, negative for a date", in, d)
			}
		}
	})
}

// FuzzParseCredentials feeds arbitrary files to the credentials loader:
// it never panics, refuses with an error that never repeats a secret
// (client_secret, private_key) and accepts only a file of a known kind
// with what that kind needs.
func FuzzParseCredentials(f *testing.F) {
	for _, s := range []string{
		`{"installed":{"client_id":"id.apps.googleusercontent.com","client_secret":"GOCSPX-rahasia-sekali","auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":"https://oauth2.googleapis.com/token","redirect_uris":["http://localhost"]}}`,
		`{"web":{"client_id":"x","client_secret":"GOCSPX-rahasia-sekali"}}`,
		`{"type":"service_account","client_email":"kopi@p.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\nrahasiarahasia\n-----END PRIVATE KEY-----\n","token_uri":"https://oauth2.googleapis.com/token"}`,
		`{"type":"external_account","audience":"//iam.googleapis.com/x","subject_token_type":"urn:ietf:params:oauth:token-type:jwt","token_url":"https://sts.googleapis.com/v1/token","credential_source":{"file":"/var/run/token"},"service_account_impersonation_url":"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/kopi@p.iam.gserviceaccount.com:generateAccessToken"}`,
		`{"installed":{}}`, `{"type":"service_account"}`, `[]`, `{`, "", "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCredentials(data, "kopi@inspektorat.example.go.id")
		if err != nil {
			if c != nil {
				t.Fatal("credentials returned with an error")
			}
			var probe map[string]json.RawMessage
			if json.Unmarshal(data, &probe) != nil {
				return
			}
			for _, secret := range secretsIn(probe) {
				if len(secret) >= 8 && strings.Contains(err.Error(), secret) {
					t.Fatalf("credentials error %q repeats a secret", err)
				}
			}
			return
		}
		switch c.Kind {
		case InstalledClient:
			if c.OAuth == nil || c.OAuth.ClientID == "" {
				t.Fatalf("installed client accepted without a client id")
			}
		case ServiceAccount:
			if c.JWT == nil || c.JWT.Email == "" || len(c.JWT.PrivateKey) == 0 {
				t.Fatalf("service account accepted without email or key")
			}
		case ExternalAccount:
		default:
			t.Fatalf("credentials of kind %v accepted", c.Kind)
		}
	})
}

// secretsIn collects the secret values of a credentials file, at the
// top level and inside "installed"/"web".
func secretsIn(m map[string]json.RawMessage) []string {
	var out []string
	for k, v := range m {
		var s string
		if (k == "client_secret" || k == "private_key") && json.Unmarshal(v, &s) == nil {
			out = append(out, s)
			for _, line := range strings.Split(s, "\n") {
				if !strings.HasPrefix(line, "-----") {
					out = append(out, line)
				}
			}
		}
		var inner map[string]json.RawMessage
		if json.Unmarshal(v, &inner) == nil {
			out = append(out, secretsIn(inner)...)
		}
	}
	return out
}
