package rules

import (
	"fmt"
	"strings"
	"time"
)

// Status is the state of a case, stored in the tracker's status column
// (a dropdown) with these Indonesian values.
type Status string

// The statuses of a case, in the order of the SOP.
const (
	// StatusBaru: recorded and complete, not yet assigned (no consultant
	// available); the daemon retries assignment each cycle.
	StatusBaru Status = "Baru"
	// StatusKurangLengkap: incomplete; waiting for the requester to edit
	// the response. The deadline clock is paused.
	StatusKurangLengkap Status = "Kurang Lengkap"
	// StatusDitugaskan: assigned to a consultant; the step-3 clock runs.
	StatusDitugaskan Status = "Ditugaskan"
	// StatusDijawab: the consultant wrote the answer; awaiting approval.
	StatusDijawab Status = "Dijawab"
	// StatusDisetujui: the admin approved the answer; kopi will send it.
	StatusDisetujui Status = "Disetujui"
	// StatusTerkirim: the answer email was sent.
	StatusTerkirim Status = "Terkirim"
	// StatusSelesai: archived by the secretariat; the row is final.
	StatusSelesai Status = "Selesai"
	// StatusKirimUlang: the admin asks kopi to send the (changed) answer
	// again; after sending it returns to Terkirim.
	StatusKirimUlang Status = "Kirim Ulang"
)

// Statuses lists every status in order: the values of the dropdown.
var Statuses = []Status{StatusBaru, StatusKurangLengkap, StatusDitugaskan, StatusDijawab, StatusDisetujui, StatusTerkirim, StatusSelesai, StatusKirimUlang}

// ParseStatus reads a status cell, ignoring case and extra spaces. An
// empty cell is an error too: every row has a status.
func ParseStatus(s string) (Status, error) {
	k := normKey(s)
	for _, st := range Statuses {
		if normKey(string(st)) == k {
			return st, nil
		}
	}
	names := make([]string, len(Statuses))
	for i, st := range Statuses {
		names[i] = string(st)
	}
	return "", fmt.Errorf(msgStatusUnknown, s, strings.Join(names, ", "))
}

// Waiting reports whether the case still waits for the admin's check
// (Baru, Kurang Lengkap, or no status yet): the requester's edits of the
// response still apply to it.
func (s Status) Waiting() bool { return s == StatusBaru || s == StatusKurangLengkap || s == "" }

// AwaitsConsultant reports whether the case waits for its consultant's
// answer (Ditugaskan): the only status at which the step-3 reminders
// are due (DueReminder, ReminderDue).
func (s Status) AwaitsConsultant() bool { return s == StatusDitugaskan }

// Open reports whether the case is still on a consultant's desk: it
// counts towards the consultant's open cases for assignment.
func (s Status) Open() bool { return s == StatusDitugaskan || s == StatusDijawab }

// Final reports whether the answer is out (Terkirim, Selesai).
func (s Status) Final() bool { return s == StatusTerkirim || s == StatusSelesai }

// ReadyToSend reports whether kopi should send the answer now, given the
// approval setting: Disetujui and Kirim Ulang always, Dijawab when no
// approval is required.
func (s Status) ReadyToSend(approvalRequired bool) bool {
	return s == StatusDisetujui || s == StatusKirimUlang || (s == StatusDijawab && !approvalRequired)
}

// Case is one consultation: a row of the Konsultasi tab. The requester's
// data is the embedded Submission; the rest is the service's record.
type Case struct {
	// Ticket is the case's number, KOPI-YYYY-NNNN; logs name cases by it.
	Ticket Ticket
	Submission
	// Missing lists why the case is incomplete (nil when complete).
	Missing []Missing
	// Status is the case's state.
	Status Status
	// Consultant and ConsultantEmail name the assigned consultant.
	Consultant      string
	ConsultantEmail string
	// AssignedAt is when the consultant was assigned (step-3 clock start).
	AssignedAt time.Time
	// Deadline is when step 3 is due, in working time.
	Deadline time.Time
	// Answer is the consultant's answer, kept exactly as written.
	Answer string
	// AnsweredBy and AnsweredAt say who answered and when.
	AnsweredBy string
	AnsweredAt time.Time
	// SentAt is when the answer email went out.
	SentAt time.Time
	// WhatsAppLink is the wa.me link kopi keeps in the row (the answer
	// prefilled once there is one).
	WhatsAppLink string
	// Notes is the notes cell as read; kopi writes it rendered from
	// Flags (rules.Notes) and never reads it back.
	Notes string
	// Flags are what the case needs from a person, derived each cycle
	// from the row, the journal and the ledger.
	Flags []Flag
}

// Complete reports whether no item is missing.
func (c Case) Complete() bool { return len(c.Missing) == 0 }
