package rules

import (
	"bytes"
	"encoding/csv"
	"net/mail"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// hostile are values every text target is seeded with: header and
// formula injection, NUL, right-to-left text, invalid UTF-8, HTML and
// a cell's worth of characters and more.
var hostile = []string{
	"", " ", "Budi\r\nBcc: penyusup@jahat.example", "=IMPORTDATA(\"http://x\")", "+62=1", "-1", "@SUM(A1)",
	"a\x00b", "\u202eملف\u202c", "\xff\xfe\xfd", "<script>alert(1)</script>", "'); DROP TABLE x;--",
	strings.Repeat("8", 60000), strings.Repeat("é", 30001),
}

// FuzzNormalizePhone feeds requester-typed phone numbers to the
// WhatsApp number check. An accepted number is E.164 ("+" and at most
// 15 digits) and a fixed point (normalising it again gives itself); the
// memoised check agrees with the direct one; the wa.me link built from
// it carries exactly the number and the text, escaped.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{
		"0812-3456-7890", "+62 812 3456 7890", "6281234567890", "081234567890", "(0274) 512345", "0062 812 3456 7890",
		"+1 202 555 0100", "+44 20 7946 0958", "62", "+", "08", "0812345678901234567890", "٠٨١٢٣٤٥٦٧٨٩٠", "＋６２８１２３４５６７８９０",
	} {
		f.Add(s, "Jawaban KOPI-2026-0001")
	}
	for _, s := range hostile {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, in, text string) {
		e164, ok := NormalizePhone(in)
		facts := checkPhone(in)
		if facts.ok != ok || facts.e164 != e164 {
			t.Fatalf("checkPhone(%q) = %+v, NormalizePhone = %q %v", in, facts, e164, ok)
		}
		if !ok {
			if e164 != "" {
				t.Fatalf("NormalizePhone(%q) refused but returned %q", in, e164)
			}
			return
		}
		digits := strings.TrimPrefix(e164, "+")
		if digits == e164 || digits == "" || len(digits) > 15 || strings.Trim(digits, "0123456789") != "" {
			t.Fatalf("NormalizePhone(%q) = %q, not E.164", in, e164)
		}
		if again, ok := NormalizePhone(e164); !ok || again != e164 {
			t.Fatalf("NormalizePhone(%q) = %q, but NormalizePhone(%q) = %q %v", in, e164, e164, again, ok)
		}
		if facts.mobile != IsMobile(e164) {
			t.Fatalf("checkPhone(%q).mobile = %v, IsMobile = %v", in, facts.mobile, IsMobile(e164))
		}
		link := WhatsAppLink(e164, text)
		u, err := url.Parse(link)
		if err != nil || u.Scheme != "https" || u.Host != "wa.me" || u.Path != "/"+digits {
			t.Fatalf("WhatsAppLink(%q, …) = %q, not a wa.me link to the number", e164, link)
		}
		if strings.ContainsAny(link, " \r\n\t\"<>") {
			t.Fatalf("WhatsAppLink(%q, %q) = %q holds characters a link must not", e164, text, link)
		}
		if got := u.Query().Get("text"); got != text {
			t.Fatalf("WhatsAppLink(%q, %q) carries text %q", e164, text, got)
		}
	})
}

// FuzzNormalizeEmail feeds requester-typed addresses to the email check.
// An accepted address is exactly the trimmed input, a single plain
// address net/mail reads the same way, with no character that could end
// a header or start a list, and a fixed point.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{
		"budi@bpkad.example.go.id", " budi@x.go.id ", "Budi <budi@x.go.id>", "a@b", "a@b.", "a@.b", "a@b..c", "\"a b\"@x.id",
		"a@b.c, d@e.f", "a@[127.0.0.1]", "a+tag@x.id", "ü@x.id", "a@xn--80ak6aa92e.com", "a(comment)@x.id",
	} {
		f.Add(s)
	}
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		addr, ok := NormalizeEmail(in)
		if !ok {
			if addr != "" {
				t.Fatalf("NormalizeEmail(%q) refused but returned %q", in, addr)
			}
			return
		}
		if addr != strings.TrimSpace(in) {
			t.Fatalf("NormalizeEmail(%q) = %q, not the input trimmed", in, addr)
		}
		if strings.ContainsAny(addr, "\r\n\x00,;<>") || !utf8.ValidString(addr) {
			t.Fatalf("NormalizeEmail(%q) = %q accepts a character that can break a header", in, addr)
		}
		a, err := mail.ParseAddress(addr)
		if err != nil || a.Address != addr || a.Name != "" {
			t.Fatalf("NormalizeEmail(%q) = %q, but net/mail reads %v %v", in, addr, a, err)
		}
		if again, ok := NormalizeEmail(addr); !ok || again != addr {
			t.Fatalf("NormalizeEmail is not idempotent on %q", addr)
		}
	})
}

// FuzzParseHolidayCSV feeds arbitrary files to the holiday table reader
// (offices type next year's decree themselves). Every error names the
// file and is Indonesian; every holiday read has a real date, a known
// kind and a trimmed name; and the holidays read, written back as a
// table, read back the same.
func FuzzParseHolidayCSV(f *testing.F) {
	if data, err := os.ReadFile("libur-2026.csv"); err == nil {
		f.Add(data)
	} else {
		f.Fatal(err)
	}
	f.Add(RenderHolidayTemplate(2027))
	for _, s := range []string{
		"tanggal,hari,jenis,keterangan\n2026-01-01,Kamis,libur,Tahun Baru\n",
		"\ufefftanggal;hari\n2026-01-01\n", "tanggal\n2026-02-30\n", "tanggal,hari\n2026-01-01,Senin\n",
		"tanggal,jenis\n2026-01-01,bebas\n", "tanggal,keterangan\n2026-01-01,\"a\"b\"\n", "tanggal,keterangan\n\"2026-01-01\n",
		"# catatan\ntanggal\n#2026-01-01\n", "nama\nx\n", "", "tanggal,keterangan\n2026-01-01,=HYPERLINK(\"x\")\r\n",
		"tanggal,hari\n2026-01-06,'selasa\n", "tanggal,keterangan\n2026-01-01,\u202eRTL\n", "tanggal\n\xff\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		hs, err := ParseHolidayCSV("uji.csv", data)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "uji.csv") {
					t.Fatalf("holiday error line %q does not name the file", line)
				}
				for _, l := range []string{"parse error", "extraneous", "bare \"", "wrong number of fields", "cannot parse"} {
					if strings.Contains(line, l) {
						t.Fatalf("holiday error %q shows Go's %q to the operator", line, l)
					}
				}
			}
		}
		for _, h := range hs {
			if d, err := ParseDate(h.Date.String()); err != nil || d != h.Date {
				t.Fatalf("holiday date %v does not read back: %v", h.Date, err)
			}
			if h.Kind != HolidayNational && h.Kind != HolidayJointLeave && h.Kind != HolidayLocal {
				t.Fatalf("holiday %v has kind %q", h.Date, h.Kind)
			}
			if h.Name != strings.TrimSpace(h.Name) {
				t.Fatalf("holiday name %q is not trimmed", h.Name)
			}
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write([]string{"tanggal", "hari", "jenis", "keterangan"})
		for _, h := range hs {
			_ = w.Write([]string{h.Date.String(), indonesianWeekdays[h.Date.Weekday()], string(h.Kind), h.Name})
		}
		w.Flush()
		again, err := ParseHolidayCSV("uji.csv", buf.Bytes())
		if err != nil {
			t.Fatalf("holidays written back do not read back: %v\n%s", err, buf.Bytes())
		}
		if !slices.Equal(hs, again) {
			t.Fatalf("holidays changed by writing them back:\n%v\n%v", hs, again)
		}
	})
}

// FuzzDecodeSurvey feeds survey answers to the SKM decoding. Scores are
// 0–4; an answer scores v only when it is the element's choice v (case
// and spacing aside); the regulation's own choice texts score
// themselves; the ticket and suggestion are kept, trimmed.
func FuzzDecodeSurvey(f *testing.F) {
	f.Add("KOPI-2026-0001", "Sangat baik, terima kasih", "  sangat   SESUAI ", []byte{3, 2, 1, 0, 4, 4, 3, 2, 1})
	f.Add(" kopi-2026-0001\r\n", "=1+1", "Gratis", []byte{0, 0, 0, 3})
	for _, s := range hostile {
		f.Add(s, s, s, []byte{9, 9, 9, 9, 9, 9, 9, 9, 9})
	}
	at := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, ticket, suggestion, answer string, picks []byte) {
		byTitle := map[string]string{SurveyTicketTitle: ticket, SurveySuggestionTitle: suggestion}
		want := [SKMElementCount]int{}
		for i := range SKMElements {
			p := 4
			if i < len(picks) {
				p = int(picks[i])
			}
			if p < 4 {
				byTitle[SurveyQuestionTitle(i)] = SKMElements[i].Choices[p]
				want[i] = p + 1
			} else if p == 4 {
				byTitle[SurveyQuestionTitle(i)] = answer
				want[i] = -1 // whatever the answer is worth
			}
		}
		r := DecodeSurvey("r1", at, byTitle)
		if r.TicketText != strings.TrimSpace(ticket) || r.Suggestion != strings.TrimSpace(suggestion) {
			t.Fatalf("ticket %q / suggestion %q decoded as %q / %q", ticket, suggestion, r.TicketText, r.Suggestion)
		}
		for i, s := range r.Scores {
			if s < 0 || s > 4 {
				t.Fatalf("element %d scored %d", i, s)
			}
			switch {
			case want[i] > 0 && s != want[i]:
				t.Fatalf("element %d: choice %q scored %d, want %d", i, byTitle[SurveyQuestionTitle(i)], s, want[i])
			case want[i] == 0 && s != 0:
				t.Fatalf("element %d: no answer scored %d", i, s)
			case want[i] < 0 && s > 0 && normKey(SKMElements[i].Choices[s-1]) != normKey(answer):
				t.Fatalf("element %d: %q scored %d, the value of %q", i, answer, s, SKMElements[i].Choices[s-1])
			}
		}
	})
}

// FuzzParseValue feeds the scalar values staff and operators type
// (dates, clock times, spans, ticket numbers, statuses, report periods)
// to their parsers. Refusals are Indonesian and quote the input; an
// accepted value, formatted, parses back to itself.
func FuzzParseValue(f *testing.F) {
	for _, s := range []string{
		"2026-03-18", " 2026-02-29", "07:30", "07.30", "24:00", "24:01", "7:5", "30m", "1d", "1d2h30m", "1 hari kerja",
		"30 menit", "1 hari 2 jam", "1000001d", "KOPI-2026-0042", "kopi-2026-12345", "KOPI-+026-0001", "KOPI-2026-+001",
		"Baru", " kirim   ulang ", "Selesai", "2026-11", "2026", "0000", "99999-01",
	} {
		for k := range uint8(6) {
			f.Add(k, s)
		}
	}
	for _, s := range hostile {
		f.Add(uint8(0), s)
	}
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, kind uint8, in string) {
		var err error
		switch kind % 6 {
		case 0:
			var d Date
			if d, err = ParseDate(in); err == nil {
				if d.String() != strings.TrimSpace(in) {
					t.Fatalf("ParseDate(%q) = %v", in, d)
				}
			}
		case 1:
			var c Clock
			if c, err = ParseClock(in); err == nil {
				again, err2 := ParseClock(c.String())
				if c.Minutes < 0 || c.Minutes > 24*60 || err2 != nil || again != c {
					t.Fatalf("ParseClock(%q) = %v (%d min), written %q reads %v %v", in, c, c.Minutes, c.String(), again, err2)
				}
			}
		case 2:
			var s Span
			if s, err = ParseSpan(in); err == nil {
				if s.Days < 0 || s.Time < 0 {
					t.Fatalf("ParseSpan(%q) = %+v, negative", in, s)
				}
				for _, out := range []string{s.String(), s.Indonesian()} {
					if again, err2 := ParseSpan(out); err2 != nil || again != s {
						t.Fatalf("ParseSpan(%q) = %+v, written %q reads %+v %v", in, s, out, again, err2)
					}
				}
			}
		case 3:
			var tk Ticket
			if tk, err = ParseTicket(in); err == nil {
				again, err2 := ParseTicket(tk.String())
				if err2 != nil || again != tk {
					t.Fatalf("ParseTicket(%q) = %v, which reads back as %v %v", in, tk, again, err2)
				}
				parts := strings.Split(strings.TrimSpace(in), "-")
				if strings.Trim(parts[1]+parts[2], "0123456789") != "" {
					t.Fatalf("ParseTicket(%q) = %v accepts a number that is not digits", in, tk)
				}
			}
		case 4:
			var st Status
			if st, err = ParseStatus(in); err == nil {
				if !slices.Contains(Statuses, st) {
					t.Fatalf("ParseStatus(%q) = %q, not a status", in, st)
				}
				if again, _ := ParseStatus(string(st)); again != st {
					t.Fatalf("status %q does not read back", st)
				}
			}
		case 5:
			var p ReportPeriod
			if p, err = ParseReportPeriod(in, jakarta); err == nil {
				again, err2 := ParseReportPeriod(p.Key, jakarta)
				if !p.From.Before(p.To) || err2 != nil || again.Key != p.Key || !again.From.Equal(p.From) || !again.To.Equal(p.To) {
					t.Fatalf("ParseReportPeriod(%q) = %+v, key %q reads back as %+v %v", in, p, p.Key, again, err2)
				}
			}
		}
		if err != nil {
			msg := err.Error()
			if strings.TrimSpace(msg) == "" || !strings.Contains(msg, "—") {
				t.Fatalf("refusal of %q (kind %d) says no fix: %q", in, kind%6, msg)
			}
			if strings.Contains(msg, "parsing time") || strings.Contains(msg, "invalid syntax") {
				t.Fatalf("refusal of %q shows Go's wording: %q", in, msg)
			}
		}
	})
}

// FuzzParseTopicList feeds roster topic cells (typed by staff) to the
// topic matching. Names found are configured topics, each once, in
// configuration order; leftovers are trimmed and hold no separator; and
// the names found, written back as a cell, read back the same with
// nothing left over.
func FuzzParseTopicList(f *testing.F) {
	for _, s := range []string{
		"Audit", "audit, reviu", "Reviu, monitoring dan evaluasi; TLHP", "auditor", "Informasi umum Inspektorat\nAudit",
		"semua", ",,;;", "AUDIT AUDIT", "Tindak lanjut hasil pemeriksaan, tlhp, Tlhp",
	} {
		f.Add(s)
	}
	for _, s := range hostile {
		f.Add(s)
	}
	topics := DefaultTopics()
	f.Fuzz(func(t *testing.T, cell string) {
		names, unknown := ParseTopicList(cell, topics)
		last := -1
		for _, n := range names {
			i := slices.IndexFunc(topics, func(tp Topic) bool { return tp.Name == n })
			if i <= last {
				t.Fatalf("ParseTopicList(%q) = %q: unknown, repeated or out of order", cell, names)
			}
			last = i
		}
		for _, u := range unknown {
			if u == "" || u != strings.TrimSpace(u) || strings.ContainsAny(u, ",;\n") {
				t.Fatalf("ParseTopicList(%q) leaves %q", cell, u)
			}
		}
		again, rest := ParseTopicList(strings.Join(names, "; "), topics)
		if !slices.Equal(again, names) || len(rest) > 0 {
			t.Fatalf("topics %q written back read as %q, %q", names, again, rest)
		}
	})
}

// TestInputFindingsFromFuzzing pins what the input fuzz targets found.
func TestInputFindingsFromFuzzing(t *testing.T) {
	// A holiday table ending inside a quote made ParseHolidayCSV panic
	// (csv.Reader.FieldPos of a record that did not parse); encoding/csv's
	// English reached the operator for a stray quote.
	for _, in := range []string{"tanggal,keterangan\n\"2026-01-01\n", "tanggal,keterangan\n2026-01-01,\"a\"b\"\n"} {
		_, err := ParseHolidayCSV("libur.csv", []byte(in))
		if err == nil || !strings.Contains(err.Error(), "libur.csv baris 2: tanda kutip") {
			t.Errorf("ParseHolidayCSV(%q) = %v, want an Indonesian quote problem on line 2", in, err)
		}
	}
	// A sign in the year of a ticket number was read as a digit.
	if tk, err := ParseTicket("KOPI-+026-0001"); err == nil {
		t.Errorf("ParseTicket(KOPI-+026-0001) = %v, want a refusal", tk)
	}
	// The key of a year before 1000 did not read back.
	p, err := ParseReportPeriod("0001", time.UTC)
	if err != nil || p.Key != "0001" {
		t.Errorf("ParseReportPeriod(0001) = %+v, %v; want key 0001", p, err)
	}
}

// FuzzHolidayTemplate renders `kopi holidays template YEAR` for any year
// an office may ask for and reads it back as the office would use it:
// as written (estimates still commented out) it reads without a
// problem and gives exactly the certain days; with every estimate
// confirmed (its prefix removed) it gives every day of the template,
// all in that year, each weekday matching its date.
func FuzzHolidayTemplate(f *testing.F) {
	for _, y := range []uint16{2026, 2027, 2030, 2100, 0, 299} {
		f.Add(y)
	}
	f.Fuzz(func(t *testing.T, y uint16) {
		year := 1900 + int(y)%300
		tpl := HolidayTemplate(year)
		raw := RenderHolidayTemplate(year)
		got, err := ParseHolidayCSV("templat.csv", raw)
		if err != nil {
			t.Fatalf("template %d does not read back: %v", year, err)
		}
		var certain []Holiday
		for _, h := range tpl {
			if !h.Estimate {
				certain = append(certain, h.Holiday)
			}
		}
		if !slices.Equal(got, certain) {
			t.Fatalf("template %d reads as %v, want the certain days %v", year, got, certain)
		}
		confirmed := bytes.ReplaceAll(raw, []byte("\n"+ConfirmPrefix), []byte("\n"))
		all, err := ParseHolidayCSV("templat.csv", confirmed)
		if err != nil {
			t.Fatalf("template %d with its estimates confirmed does not read: %v", year, err)
		}
		if len(all) != len(tpl) {
			t.Fatalf("template %d confirmed gives %d days, want %d", year, len(all), len(tpl))
		}
		for _, h := range all {
			if h.Date.Year != year {
				t.Fatalf("template %d holds %v", year, h.Date)
			}
		}
	})
}
