package rules

// WriteRule says when kopi writes a field of an existing case row. Every
// CaseField has exactly one (CaseFields); the tracker adapter declares a
// column for each (a test checks both), so a new field cannot be left
// out of a write.
type WriteRule string

// The write rules.
const (
	// WriteOnCreate: written once, with the new row (ticket, received,
	// response id).
	WriteOnCreate WriteRule = "baru"
	// WriteOnEdit: rewritten when the requester edits a response while
	// the case still waits (the requester's identity and question).
	WriteOnEdit WriteRule = "ubah-respons"
	// WriteOnSettle: written when kopi settles or assigns the case
	// (status, consultant, deadline, notes).
	WriteOnSettle WriteRule = "penugasan"
	// WriteOnAnswer: written by the answer flow (who answered and when,
	// sent at, the WhatsApp link).
	WriteOnAnswer WriteRule = "jawaban"
	// WriteStaff: the staff's; kopi writes it only in a new row, or when
	// retention clears it (the answer, the survey).
	WriteStaff WriteRule = "staf"
)

// FieldRule pairs a case field with its write rule.
type FieldRule struct {
	Field CaseField
	Rule  WriteRule
}

// CaseFields lists every field of a case row with its write rule, in
// column order.
var CaseFields = []FieldRule{
	{CFTicket, WriteOnCreate},
	{CFReceived, WriteOnCreate},
	{CFName, WriteOnEdit},
	{CFUnit, WriteOnEdit},
	{CFEmail, WriteOnEdit},
	{CFWhatsApp, WriteOnEdit},
	{CFTopic, WriteOnEdit},
	{CFQuestion, WriteOnEdit},
	{CFAttachments, WriteOnEdit},
	{CFCompleteness, WriteOnEdit},
	{CFConsultant, WriteOnSettle},
	{CFConsultantEmail, WriteOnSettle},
	{CFAssignedAt, WriteOnSettle},
	{CFDeadline, WriteOnSettle},
	{CFStatus, WriteOnSettle},
	{CFAnswer, WriteStaff},
	{CFAnsweredBy, WriteOnAnswer},
	{CFAnsweredAt, WriteOnAnswer},
	{CFSentAt, WriteOnAnswer},
	{CFWhatsAppLink, WriteOnAnswer},
	{CFSurvey, WriteStaff},
	{CFNotes, WriteOnSettle},
	{CFResponseID, WriteOnCreate},
	{CFResponseVersion, WriteOnEdit},
}

// FieldsWritten lists the fields with write rule r, in column order.
func FieldsWritten(r WriteRule) []CaseField {
	var out []CaseField
	for _, f := range CaseFields {
		if f.Rule == r {
			out = append(out, f.Field)
		}
	}
	return out
}
