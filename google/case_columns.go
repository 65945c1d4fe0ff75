package google

import (
	"fmt"
	"strings"
	"time"

	"kopi/rules"
)

// caseColumn declares one column of the consultation tab once: its
// field (whose write rule is rules.CaseFields'), the header staff see,
// who owns it, how kopi renders the case field into the cell and reads
// it back.
type caseColumn struct {
	field  rules.CaseField
	header string
	width  int64
	// staff columns are the staff's to edit (not protected), even where
	// kopi writes them too (the consultant it assigned, the status).
	staff bool
	get   func(t *Tracker, c *rules.TrackedCase) string
	// set reads the cell into the case; it returns a problem for the
	// admin, or "". Nil for columns kopi does not read back.
	set func(t *Tracker, c *rules.TrackedCase, v string) string
}

// caseColumns are the consultation tab's columns, in order. A test
// checks that every case field has exactly one.
var caseColumns = []caseColumn{
	{field: rules.CFTicket, header: "No. Tiket", width: 130,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.Ticket.String() }},
	{field: rules.CFReceived, header: "Diterima", width: 130,
		get: func(t *Tracker, c *rules.TrackedCase) string { return t.formatTime(c.SubmittedAt) },
		set: func(t *Tracker, c *rules.TrackedCase, v string) string { c.SubmittedAt = t.parseTime(v); return "" }},
	{field: rules.CFName, header: "Nama", width: 160,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.Name },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.Name = v; return "" }},
	{field: rules.CFUnit, header: "Instansi", width: 180,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.Unit },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.Unit = v; return "" }},
	{field: rules.CFEmail, header: "Email", width: 180,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.Email },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.Email = v; return "" }},
	{field: rules.CFWhatsApp, header: "WhatsApp", width: 130,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.WhatsApp },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.WhatsApp = v; return "" }},
	{field: rules.CFTopic, header: "Topik", width: 180,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.Topic },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.Topic = v; return "" }},
	{field: rules.CFQuestion, header: "Pertanyaan", width: 320,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.Question },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.Question = v; return "" }},
	{field: rules.CFAttachments, header: "Lampiran", width: 200,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return strings.Join(c.Attachments, "\n") },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string {
			if v != "" {
				c.Attachments = strings.Split(v, "\n")
			}
			return ""
		}},
	{field: rules.CFCompleteness, header: "Kelengkapan", width: 200,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return rules.CompletenessText(c.Missing) },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.Missing = missingFromText(v); return "" }},
	{field: rules.CFConsultant, header: "Konsuler", width: 160, staff: true,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.Consultant },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.Consultant = v; return "" }},
	{field: rules.CFConsultantEmail, header: "Email Konsuler", width: 180, staff: true,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.ConsultantEmail },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.ConsultantEmail = v; return "" }},
	{field: rules.CFAssignedAt, header: "Ditugaskan Pada", width: 130,
		get: func(t *Tracker, c *rules.TrackedCase) string { return t.formatTime(c.AssignedAt) },
		set: func(t *Tracker, c *rules.TrackedCase, v string) string { c.AssignedAt = t.parseTime(v); return "" }},
	{field: rules.CFDeadline, header: "Tenggat", width: 130,
		get: func(t *Tracker, c *rules.TrackedCase) string { return t.formatTime(c.Deadline) },
		set: func(t *Tracker, c *rules.TrackedCase, v string) string { c.Deadline = t.parseTime(v); return "" }},
	{field: rules.CFStatus, header: "Status", width: 130, staff: true,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return string(c.Status) },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string {
			if v == "" {
				return ""
			}
			s, err := rules.ParseStatus(v)
			c.Status = s
			if err != nil {
				return fmt.Sprintf("%s: %v", c.Ticket, err)
			}
			return ""
		}},
	{field: rules.CFAnswer, header: "Jawaban", width: 320, staff: true,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.Answer },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.Answer = v; return "" }},
	{field: rules.CFAnsweredBy, header: "Dijawab Oleh", width: 160,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.AnsweredBy },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.AnsweredBy = v; return "" }},
	{field: rules.CFAnsweredAt, header: "Dijawab Pada", width: 130,
		get: func(t *Tracker, c *rules.TrackedCase) string { return t.formatTime(c.AnsweredAt) },
		set: func(t *Tracker, c *rules.TrackedCase, v string) string { c.AnsweredAt = t.parseTime(v); return "" }},
	{field: rules.CFSentAt, header: "Terkirim Pada", width: 130,
		get: func(t *Tracker, c *rules.TrackedCase) string { return t.formatTime(c.SentAt) },
		set: func(t *Tracker, c *rules.TrackedCase, v string) string { c.SentAt = t.parseTime(v); return "" }},
	{field: rules.CFWhatsAppLink, header: "Tautan WhatsApp", width: 200,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.WhatsAppLink },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.WhatsAppLink = v; return "" }},
	// The survey column is the survey issue's; kopi leaves it empty.
	{field: rules.CFSurvey, header: "Survei", width: 120,
		get: func(_ *Tracker, _ *rules.TrackedCase) string { return "" }},
	{field: rules.CFNotes, header: "Catatan Sistem", width: 240,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.Notes },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.Notes = v; return "" }},
	{field: rules.CFResponseID, header: "ID Respons", width: 160,
		get: func(_ *Tracker, c *rules.TrackedCase) string { return c.ResponseID },
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string { c.ResponseID = v; return "" }},
	{field: rules.CFResponseVersion, header: "Versi Respons", width: 160,
		get: func(_ *Tracker, c *rules.TrackedCase) string {
			if c.ResponseVersion.IsZero() {
				return ""
			}
			return c.ResponseVersion.UTC().Format(time.RFC3339Nano)
		},
		set: func(_ *Tracker, c *rules.TrackedCase, v string) string {
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				c.ResponseVersion, c.LastSubmittedAt = t, t
			}
			return ""
		}},
}

// CasesTab is the consultation tab: a row per consultation, laid out
// from caseColumns. Columns kopi owns are protected with a warning; the
// status (a dropdown of statuses), consultant and answer are the staff's.
func CasesTab(statuses []string) TabSchema {
	cols := make([]ColumnSpec, len(caseColumns))
	for i, c := range caseColumns {
		cols[i] = ColumnSpec{Key: string(c.field), Header: c.header, Daemon: !c.staff, Width: c.width}
		if c.field == rules.CFStatus {
			cols[i].Choices = statuses
		}
	}
	return TabSchema{Title: "Konsultasi", Anchored: true, Columns: cols}
}
