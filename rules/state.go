package rules

import "time"

// TrackedCase is a case as the tracker holds it: the case and the
// identity of its row (the developer-metadata anchor id, derived from the
// ticket), which stays valid however staff sort or move rows.
type TrackedCase struct {
	Case
	// AnchorID identifies the row; see AnchorID.
	AnchorID int64
	// ResponseVersion is the response's lastSubmittedTime the row shows.
	ResponseVersion time.Time
}

// AnchorID is the spreadsheet-unique metadata id of a ticket's row:
// YYYY·100000 + sequence, which fits the API's int32 ids until sequence
// 99,999 of a year.
func AnchorID(t Ticket) int64 { return int64(t.Year)*100000 + int64(t.Seq) }

// LedgerEntry records that a form response was turned into a case: the
// ledger outlives the row, so a row staff deleted is never re-created and
// its ticket number is never reused.
type LedgerEntry struct {
	ResponseID string
	Ticket     Ticket
	// Version is the lastSubmittedTime of the response last applied.
	Version time.Time
}

// DeliveryState is where an email is on its way out.
type DeliveryState string

// The delivery states of the outbox journal.
const (
	// DeliveryQueued: the intent is recorded, no draft is known yet.
	DeliveryQueued DeliveryState = "antre"
	// DeliveryDrafted: a Gmail draft exists and is recorded; sending it
	// is safe to repeat, because a sent draft is gone.
	DeliveryDrafted DeliveryState = "draf"
	// DeliverySent: Gmail sent the email.
	DeliverySent DeliveryState = "terkirim"
	// DeliveryFailed: Gmail refused it for good (e.g. a bad address);
	// the admin sees the reason in the row and the digest.
	DeliveryFailed DeliveryState = "gagal"
	// DeliveryDraftDeleted: the draft was gone when kopi sent it and no
	// sent email carries its reference — a person deleted it in Gmail.
	// The email did not go out; the admin decides whether to send again.
	DeliveryDraftDeleted DeliveryState = "draf-dihapus"
	// DeliveryWithdrawn: a reminder (or an incomplete notice) kopi
	// queued that was held back (office hours, the daily limit, an
	// outage) until it was no longer due — the case stopped waiting, the
	// requester edited or rated, the operator turned its kind off: it was
	// never sent, any draft of it was deleted, and Detail says why
	// (ReminderDue). Finished, like a sent or failed email.
	DeliveryWithdrawn DeliveryState = "ditarik"
)

// Pending reports whether an email in this state still has to go out:
// every other state is finished (the archive and retention may take its
// case, the digest does not list it as waiting).
func (s DeliveryState) Pending() bool { return s == DeliveryQueued || s == DeliveryDrafted }

// Delivery is one email in the outbox journal: the intent is recorded
// before any Gmail call and the outcome after, so a crash anywhere leaves
// enough to finish the job without sending twice.
type Delivery struct {
	// ID is the record's identity in the journal, given by the store
	// when the intent is first recorded ("" before) and never changed
	// after, even when Key is (an answer re-keyed to its new text).
	ID string
	// Key is the idempotency key (EmailKey of the effect's fields).
	Key    string
	Ticket Ticket
	// Case names an SOP case ("sop/case") for the emails of an SOP
	// other than KOPI; Ticket is then zero.
	Case string
	// Kind is the email's purpose, e.g. "tanda-terima".
	Kind string
	// Recipient is the role addressed ("pemohon", "konsuler", "admin") —
	// never the address: that is read from the case when the email is
	// composed, and kept out of the state tab.
	Recipient string
	State     DeliveryState
	DraftID   string
	ThreadID  string
	MessageID string
	// RFCMessageID is the sent email's RFC 5322 Message-ID as Gmail
	// assigned it, fetched once when a later email replies to this one.
	RFCMessageID string
	// At is when the state last changed.
	At time.Time
	// Detail is a note for the admin (a deferral or failure reason).
	Detail string
}

// Pending reports whether the email still has to go out.
func (d Delivery) Pending() bool { return d.State.Pending() }

// TrackerState is the daemon's own state kept in the hidden tab.
type TrackerState struct {
	// Cursor is the latest response lastSubmittedTime processed.
	Cursor time.Time
	// Ledger has one entry per response id, Flows one record per case
	// (SOP and case id), Outbox one record per ID: the identities by
	// which the store finds a record again when it is written back.
	Ledger []LedgerEntry
	Outbox []Delivery
	// Flows are the SOP cases' flows.
	Flows []FlowRecord
	// Archive is what remains of archived cases (rules/archive.go).
	Archive ArchiveState
}

// Snapshot is the tracker as read at the start of a cycle.
type Snapshot struct {
	Cases  []TrackedCase
	Roster []Consultant
	// SOPRows are the rows of the SOP tabs; Roles the Peran tab.
	SOPRows []SOPRow
	Roles   []RolePerson
	State   TrackerState
	// Surveys are the satisfaction surveys kept in the Survei tab.
	Surveys []SurveyRecord
	// Problems are things the daemon could not read, in Indonesian, for
	// the admin (a renamed header, an unknown status value).
	Problems []string
}

// CaseField names a column of the consultation tab that the daemon may
// write to an existing row.
type CaseField string

// The fields of a case row.
const (
	CFTicket          CaseField = "ticket"
	CFReceived        CaseField = "received"
	CFName            CaseField = "name"
	CFUnit            CaseField = "unit"
	CFEmail           CaseField = "email"
	CFWhatsApp        CaseField = "whatsapp"
	CFTopic           CaseField = "topic"
	CFQuestion        CaseField = "question"
	CFAttachments     CaseField = "attachments"
	CFCompleteness    CaseField = "completeness"
	CFConsultant      CaseField = "consultant"
	CFConsultantEmail CaseField = "consultant_email"
	CFAssignedAt      CaseField = "assigned_at"
	CFDeadline        CaseField = "deadline"
	CFStatus          CaseField = "status"
	CFAnswer          CaseField = "answer"
	CFAnsweredBy      CaseField = "answered_by"
	CFAnsweredAt      CaseField = "answered_at"
	CFSentAt          CaseField = "sent_at"
	CFWhatsAppLink    CaseField = "wa_link"
	CFSurvey          CaseField = "survey"
	CFNotes           CaseField = "notes"
	CFResponseID      CaseField = "response_id"
	CFResponseVersion CaseField = "response_version"
)

// CaseUpdate writes some fields of an existing case row.
type CaseUpdate struct {
	Case   TrackedCase
	Fields []CaseField
}

// Changes is what one cycle writes atomically: new case rows, ledger
// entries, outbox intents and the cursor land together or not at all.
type Changes struct {
	// Updates rewrite fields of existing case rows.
	Updates  []CaseUpdate
	NewCases []TrackedCase
	Ledger   []LedgerEntry
	Outbox   []Delivery
	// Cursor, when non-zero, replaces the stored cursor.
	Cursor time.Time
	// Flows, History and Anchors are the SOP cases' transitions: their
	// flows, history rows (tab Riwayat) and new rows' anchors.
	Flows   []FlowRecord
	History []HistoryEntry
	Anchors []SOPAnchor
}

// Empty reports whether there is nothing to write.
func (c *Changes) Empty() bool {
	return len(c.Updates) == 0 && len(c.NewCases) == 0 && len(c.Ledger) == 0 && len(c.Outbox) == 0 && c.Cursor.IsZero() &&
		len(c.Flows) == 0 && len(c.History) == 0 && len(c.Anchors) == 0
}

// SOPRow is a row of an SOP's tab (one case) as read: what staff wrote
// and what the row shows of the case's flow.
type SOPRow struct {
	// SOP is the definition's ID.
	SOP string
	// Case is the case id kopi gave the row ("" for a row staff just
	// added: a new case).
	Case string
	// Title names the case (e.g. the training event), written by staff.
	Title string
	// Shown is the step number the row shows (the projection of the
	// flow kopi last wrote), 0 when none; a decision counts only while
	// the row shows the case's current step.
	Shown int
	// Decision, DecisionNote and Choice are the staff's cells.
	Decision     string
	DecisionNote string
	Choice       string
	// Notes is the notes cell as read (rendered from flags, never parsed).
	Notes string
	// NewRow names a row staff added (Case ""), for the commit that
	// anchors it as a case: an opaque reference the store gave the row
	// in this read, "" for a case's row.
	NewRow string
}

// SOPRowView is what kopi writes into an SOP row: the projection of the
// case's flow and its flags.
type SOPRowView struct {
	SOP  string
	Case string
	Flow Flow
	// Step is the definition's step the flow is in (zero when done).
	Step StepDef
	// Flags are rendered into the notes cell.
	Flags []Flag
	// ClearDecision empties the decision and its note (consumed).
	ClearDecision bool
}

// RolePerson maps an SOP role to a person (a row of the Peran tab).
type RolePerson struct {
	Role  string
	Name  string
	Email string
}

// FlowRecord is a case's flow kept in the hidden state tab: written in
// the same atomic commit as the history row and the emails of the
// transition, so none of them can exist without the others.
type FlowRecord struct {
	Flow
	// Title is the case's title as it was when the flow last changed
	// (for emails composed later).
	Title string
	// Note is the correction note that sent the case back to its
	// current step ("" otherwise), quoted in the step's email.
	Note string
}

// SOPAnchor anchors a row staff added as a new case, in the commit.
type SOPAnchor struct {
	SOP  string
	Case string
	// NewRow is the row staff added (SOPRow.NewRow).
	NewRow string
	View   SOPRowView
}
