package main

import (
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"kopi/google"
	"kopi/rules"
)

// personalData collects the strings that must never appear in a log:
// names, units, emails, phone numbers in the ways people write them,
// attachment links, and fragments of questions and answers.
type personalData struct {
	needles map[string]string // lower-cased needle → what it is
}

func newPersonalData() *personalData { return &personalData{needles: map[string]string{}} }

func (p *personalData) add(what, s string) {
	s = strings.TrimSpace(s)
	if len([]rune(s)) < 4 {
		return
	}
	p.needles[strings.ToLower(s)] = what
}

// name adds a full name and each of its longer words.
func (p *personalData) name(what, s string) {
	p.add(what, s)
	for _, w := range strings.Fields(s) {
		if len([]rune(w)) >= 5 {
			p.add(what, w)
		}
	}
}

// phone adds a number as typed and in its normalisations: 0812…,
// +62812…, 62812…
func (p *personalData) phone(s string) {
	p.add("nomor WhatsApp", s)
	var d strings.Builder
	for _, r := range s {
		if unicode.IsDigit(r) {
			d.WriteRune(r)
		}
	}
	digits := d.String()
	national := strings.TrimPrefix(digits, "0")
	if strings.HasPrefix(digits, "62") {
		national = digits[2:]
	}
	for _, v := range []string{"0" + national, "+62" + national, "62" + national} {
		p.add("nomor WhatsApp "+s, v)
	}
}

// text adds overlapping fragments of a free text (question, answer).
func (p *personalData) text(what, s string) {
	rs := []rune(s)
	if len(rs) > 3000 {
		rs = rs[:3000]
	}
	const window, step = 24, 12
	if len(rs) <= window {
		p.add(what, string(rs))
		return
	}
	for i := 0; i+window <= len(rs); i += step {
		p.add(what, string(rs[i:i+window]))
	}
}

// scan fails the test for every needle found in out.
func (p *personalData) scan(t *testing.T, where, out string) {
	t.Helper()
	lower := strings.ToLower(out)
	for n, what := range p.needles {
		if i := strings.Index(lower, n); i >= 0 {
			from, to := max(0, i-80), min(len(out), i+len(n)+80)
			t.Errorf("%s contains %s %q: …%s…", where, what, n, out[from:to])
		}
	}
}

// demoPersonalData is everything personal the demo day puts in: the
// seeded requesters, and whatever the tracker holds at the end of the
// day (answers included), plus the roster's staff.
func demoPersonalData(t *testing.T, loc *time.Location, rows [][]string) *personalData {
	p := newPersonalData()
	for _, ev := range demoDay(loc) {
		p.name("nama pemohon", ev.sub[rules.FieldNama])
		p.add("instansi", ev.sub[rules.FieldInstansi])
		p.add("email pemohon", ev.sub[rules.FieldEmail])
		if wa := ev.sub[rules.FieldWhatsApp]; wa != "" {
			p.phone(wa)
		}
		p.text("pertanyaan", ev.sub[rules.FieldPertanyaan])
		p.add("lampiran", ev.sub[rules.FieldLampiran])
	}
	if len(rows) < 2 {
		t.Fatalf("tracker has no rows: %q", rows)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	cell := func(r []string, header string) string {
		i, ok := col[header]
		if !ok || i >= len(r) {
			return ""
		}
		return r[i]
	}
	for _, r := range rows[1:] {
		p.name("nama di pelacak", cell(r, "Nama"))
		p.add("instansi di pelacak", cell(r, "Instansi"))
		p.add("email di pelacak", cell(r, "Email"))
		if wa := cell(r, "WhatsApp"); wa != "" {
			p.phone(wa)
		}
		p.text("pertanyaan di pelacak", cell(r, "Pertanyaan"))
		p.text("jawaban", cell(r, "Jawaban"))
		p.add("tautan WhatsApp", cell(r, "Tautan WhatsApp"))
	}
	for _, c := range google.ExampleRoster(rules.DefaultConfig()) {
		p.add("email konsuler", c[google.ColRosterEmail])
	}
	return p
}

// TestDemoDayLogsNoPersonalData logs the whole demo day at debug level in
// both log formats (one run writing each record as text and as JSON) and
// scans everything logged for the personal data the day carried. The demo's stdout (the tracker table for the operator) is
// the product's output, not a log, and is not scanned.
func TestDemoDayLogsNoPersonalData(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the demo simulates a whole day")
	}
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			// The run the demo's output tests share (demo_test.go),
			// which writes its log in both formats.
			r, rows := demoDebugText(t)
			if format == "json" {
				r.stderr = demoJSONLog(t)
			}
			if r.err != nil {
				t.Fatalf("demo: %v\n%s", r.err, r.stderr)
			}
			// The scan must have something to scan: the day's case lines.
			for _, want := range []string{"kasus baru", "KOPI-2026-0001", "KOPI-2026-0012", "email terkirim"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("debug log lacks %q:\n%.2000s", want, r.stderr)
				}
			}
			if format == "json" && !strings.Contains(r.stderr, `"tiket":"KOPI-2026-0001"`) {
				t.Errorf("json log lacks the tiket attribute")
			}
			p := demoPersonalData(t, loc, rows)
			if len(p.needles) < 100 {
				t.Fatalf("only %d needles: the seed data was not found", len(p.needles))
			}
			p.scan(t, "demo log ("+format+")", r.stderr)
			// Every line about a case names it by ticket (the daily
			// digest is about no single case).
			for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
				digest := strings.Contains(line, "jenis=ringkasan") || strings.Contains(line, `"jenis":"ringkasan"`)
				if (strings.Contains(line, "kasus baru") || strings.Contains(line, "email terkirim")) && !digest {
					if !strings.Contains(line, "tiket") || !strings.Contains(line, "KOPI-2026-") {
						t.Errorf("a line about a case without its ticket: %s", line)
					}
				}
			}
		})
	}
}

// TestOnceOutputHasNoPersonalData: `kopi once` prints a summary on
// stdout and logs on stderr; neither may carry the requester's data.
func TestOnceOutputHasNoPersonalData(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			o := newOffice(t)
			f, err := os.OpenFile(o.config, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteString("\nlog:\n  level: debug\n  format: " + format + "\n"); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
				t.Fatalf("init: %v\n%s", r.err, r.stderr)
			}
			q := rules.DefaultQuestionTitles
			seed := map[string]string{
				q.Nama: "Sri Wahyuni Lestari", q.Instansi: "Pemerintah Desa Sukamaju",
				q.Email: "sri.wahyuni@desa-sukamaju.example.id", q.WhatsApp: "+62 812-3456-7890",
				q.Topik:      rules.TopicAudit,
				q.Pertanyaan: "Dokumen apa yang diminta auditor saat audit ketaatan atas kontrak jembatan desa?",
			}
			o.submit(t, seed)
			// An incomplete one too (follow-up without the audit report).
			o.submit(t, map[string]string{q.Nama: "Bambang Sutrisno", q.Instansi: "Kecamatan Cibeber",
				q.Email: "bambang@kecamatan.example.go.id", q.Topik: rules.TopicTindakLanjut, q.WhatsApp: "081311223344",
				q.Pertanyaan: "Rekomendasi temuan tahun lalu belum kami tindak lanjuti sepenuhnya."})

			r := kopi(t, "once", "--config", o.config)
			if r.err != nil {
				t.Fatalf("once: %v\n%s", r.err, r.stderr)
			}
			if !strings.Contains(r.stderr, "KOPI-2026-0001") || !strings.Contains(r.stdout, "2 kasus baru") {
				t.Fatalf("once did not do the work:\n%s\n%s", r.stdout, r.stderr)
			}
			p := newPersonalData()
			p.name("nama", seed[q.Nama])
			p.name("nama", "Bambang Sutrisno")
			p.add("instansi", seed[q.Instansi])
			p.add("email", seed[q.Email])
			p.add("email", "bambang@kecamatan.example.go.id")
			p.phone(seed[q.WhatsApp])
			p.phone("081311223344")
			p.add("instansi", "Kecamatan Cibeber")
			p.text("pertanyaan", seed[q.Pertanyaan])
			p.text("pertanyaan", "Rekomendasi temuan tahun lalu belum kami tindak lanjuti sepenuhnya.")
			p.scan(t, "stdout kopi once", r.stdout)
			p.scan(t, "log kopi once", r.stderr)
		})
	}
}
