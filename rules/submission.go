package rules

import "time"

// Field names a piece of the intake form. The values are the YAML keys
// of intake.questions and of a topic's required list.
type Field string

// The fields of the intake form.
const (
	FieldNama       Field = "nama"
	FieldInstansi   Field = "instansi"
	FieldEmail      Field = "email"
	FieldWhatsApp   Field = "whatsapp"
	FieldTopik      Field = "topik"
	FieldPertanyaan Field = "pertanyaan"
	FieldLampiran   Field = "lampiran"
)

// AllFields lists the fields in form order.
var AllFields = []Field{FieldNama, FieldInstansi, FieldEmail, FieldWhatsApp, FieldTopik, FieldPertanyaan, FieldLampiran}

// Valid reports whether f is one of the known fields.
func (f Field) Valid() bool {
	for _, g := range AllFields {
		if f == g {
			return true
		}
	}
	return false
}

// Label is the field's Indonesian name for people.
func (f Field) Label() string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return string(f)
}

// Submission is one intake Form response decoded into our fields. The
// google package fills it from the Forms API; text is kept exactly as
// typed.
type Submission struct {
	// ResponseID is the Forms API responseId, the submission's identity.
	ResponseID string
	// SubmittedAt is the response's createTime (first submission).
	SubmittedAt time.Time
	// LastSubmittedAt is the response's lastSubmittedTime (changes on edit).
	LastSubmittedAt time.Time
	Name            string
	Unit            string // instansi / unit kerja
	Email           string
	WhatsApp        string
	Topic           string
	Question        string
	// Attachments are links (Drive file links or typed URLs).
	Attachments []string
}

// Value returns the text of field f (attachments joined by newlines).
func (s Submission) Value(f Field) string {
	switch f {
	case FieldNama:
		return s.Name
	case FieldInstansi:
		return s.Unit
	case FieldEmail:
		return s.Email
	case FieldWhatsApp:
		return s.WhatsApp
	case FieldTopik:
		return s.Topic
	case FieldPertanyaan:
		return s.Question
	case FieldLampiran:
		out := ""
		for i, a := range s.Attachments {
			if i > 0 {
				out += "\n"
			}
			out += a
		}
		return out
	}
	return ""
}
