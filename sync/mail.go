package sync

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"
	"time"

	"kopi/rules"
)

// The kinds of email the intake sends; they name the templates.
const (
	KindReceipt      = "tanda-terima"
	KindIncomplete   = "kurang-lengkap"
	KindAssignment   = "penugasan"
	KindUnassigned   = "tanpa-konsuler"
	recipientSender  = "pemohon"
	recipientConsult = "konsuler"
	recipientAdmin   = "admin"
)

// The kinds of email the answer flow sends.
const (
	KindAnswer     = rules.KindAnswer // the answer, threaded under the receipt
	KindReminder   = "pengingat"      // pre-breach reminder to the consultant
	KindOverdue    = "lewat-tenggat"  // overdue notice to the consultant, admins in Cc
	KindEscalation = "eskalasi"       // escalation to the topic's supervisor
	KindDigest     = "ringkasan"      // the admins' daily digest
	// recipientConsultAdmin addresses the consultant with the admins in Cc.
	recipientConsultAdmin = "konsuler+admin"
	// recipientSupervisor addresses the topic's supervisor (or the admins).
	recipientSupervisor = "atasan"
)

// templateKinds lists every kind with a template pair.
var templateKinds = []string{KindReceipt, KindIncomplete, KindAssignment, KindUnassigned,
	KindAnswer, KindReminder, KindOverdue, KindEscalation, KindDigest, KindSOPStep, KindSOPReminder, KindMonthReport, KindSurveyFollowUp}

//go:embed templates/*.tmpl
var builtinTemplates embed.FS

// Templates renders emails: a text template (defining "subject" and
// "text") and an HTML template (defining "html") per kind. The built-in
// Indonesian templates can be overridden file by file from a directory.
type Templates struct {
	text map[string]*texttemplate.Template
	html map[string]*htmltemplate.Template
}

// LoadTemplates parses the built-in templates and, when dir is not empty,
// the overrides found there (same file names). A broken override is an
// error naming the file.
func LoadTemplates(dir string) (*Templates, error) {
	t := &Templates{text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	for _, kind := range templateKinds {
		txt, err := readTemplate(dir, kind+".txt.tmpl")
		if err != nil {
			return nil, err
		}
		tt, err := texttemplate.New(kind).Option("missingkey=error").Parse(txt)
		if err != nil {
			return nil, fmt.Errorf("templat %s.txt.tmpl: %w", kind, err)
		}
		if tt.Lookup("subject") == nil || tt.Lookup("text") == nil {
			return nil, fmt.Errorf("templat %s.txt.tmpl harus mendefinisikan \"subject\" dan \"text\"", kind)
		}
		h, err := readTemplate(dir, kind+".html.tmpl")
		if err != nil {
			return nil, err
		}
		ht, err := htmltemplate.New(kind).Option("missingkey=error").Parse(h)
		if err != nil {
			return nil, fmt.Errorf("templat %s.html.tmpl: %w", kind, err)
		}
		if ht.Lookup("html") == nil {
			return nil, fmt.Errorf("templat %s.html.tmpl harus mendefinisikan \"html\"", kind)
		}
		t.text[kind], t.html[kind] = tt, ht
	}
	return t, nil
}

func readTemplate(dir, name string) (string, error) {
	if dir != "" {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			return string(b), nil
		}
		if !os.IsNotExist(err) {
			return "", fmt.Errorf("baca templat %s: %w", name, err)
		}
	}
	b, err := fs.ReadFile(builtinTemplates, "templates/"+name)
	if err != nil {
		return "", fmt.Errorf("templat bawaan %s: %w", name, err)
	}
	return string(b), nil
}

// mailData is what a template sees. Values are the case's text as typed:
// html/template escapes them in the HTML part.
type mailData struct {
	Ticket, Topic, Name, Unit, Question string
	Received, Deadline                  string
	Missing                             []string
	Attachments                         []string
	FormURL, SheetURL                   string
	Consultant, ConsultantRole          string
	Office, AdminEmail                  string
	Reason                              string
	Ref                                 string

	// The answer flow's fields.
	Answer         string
	AnswerHTML     htmltemplate.HTML // escaped, line breaks and links kept
	QuestionQuoted string            // the question with "> " before each line
	SurveyURL      string
	ReceiptSubject string
	Assigned       string
	Label          string // the reminder's name
	Digest         *digestView
	// SOP is an SOP step email's data (KindSOPStep).
	SOP *sopMailData
	// Month is the month-end report's figures.
	Month *monthView
}

// subject renders only the subject of a kind (the receipt's, which the
// answer replies to).
func (t *Templates) subject(kind string, d mailData) (string, error) {
	tt := t.text[kind]
	if tt == nil {
		return "", fmt.Errorf("no template for %q", kind)
	}
	var s bytes.Buffer
	if err := tt.ExecuteTemplate(&s, "subject", d); err != nil {
		return "", fmt.Errorf("render %s subject: %w", kind, err)
	}
	return strings.TrimSpace(s.String()), nil
}

// render executes the templates of a kind.
func (t *Templates) render(kind string, d mailData) (subject, text, html string, err error) {
	tt, ht := t.text[kind], t.html[kind]
	if tt == nil {
		return "", "", "", fmt.Errorf("no template for %q", kind)
	}
	var s, x, h bytes.Buffer
	if err := tt.ExecuteTemplate(&s, "subject", d); err != nil {
		return "", "", "", fmt.Errorf("render %s subject: %w", kind, err)
	}
	if err := tt.ExecuteTemplate(&x, "text", d); err != nil {
		return "", "", "", fmt.Errorf("render %s text: %w", kind, err)
	}
	if err := ht.ExecuteTemplate(&h, "html", d); err != nil {
		return "", "", "", fmt.Errorf("render %s html: %w", kind, err)
	}
	return strings.TrimSpace(s.String()), x.String(), h.String(), nil
}

var (
	dayNames   = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	monthNames = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
)

// formatWhen writes an instant the Indonesian way: "Senin, 2 Maret 2026
// pukul 09.15 WIB".
func formatWhen(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	t = t.In(loc)
	return fmt.Sprintf("%s, %d %s %d pukul %02d.%02d %s", dayNames[t.Weekday()], t.Day(), monthNames[t.Month()-1], t.Year(), t.Hour(), t.Minute(), t.Format("MST"))
}

// address parses an address the way the mail adapter will, so an address
// that cannot be used fails here, with a reason for the row.
func address(name, addr string) (mail.Address, error) {
	norm, ok := rules.NormalizeEmail(addr)
	if !ok {
		return mail.Address{}, errors.New("alamat email tidak dapat dipakai")
	}
	return mail.Address{Name: name, Address: norm}, nil
}
