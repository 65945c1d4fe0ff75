package rules

import (
	"fmt"
	"strings"
	"time"
)

// FlagKind is a typed reason a case needs a person's attention. Flags
// are what the code branches on; the text people read in the notes
// column is rendered from them (Notes) and never read back.
type FlagKind string

// The flags of a case.
const (
	// FlagUnassigned: complete but nobody could take it; Detail is why.
	FlagUnassigned FlagKind = "belum-ditugaskan"
	// FlagDeliveryFailed: Gmail refused an email for good; Detail names
	// the email kind, Reason why.
	FlagDeliveryFailed FlagKind = "email-gagal"
	// FlagDraftDeleted: a person deleted kopi's draft in Gmail before it
	// was sent; the email did not go out. Detail names the email kind.
	FlagDraftDeleted FlagKind = "draf-dihapus"
	// FlagAnswerChanged: the answer was edited after it was sent.
	FlagAnswerChanged FlagKind = "jawaban-diubah"
	// FlagAnswerEmpty: the status asks to send an answer the row lacks.
	FlagAnswerEmpty FlagKind = "jawaban-kosong"
	// FlagPhoneInvalid: the WhatsApp number is not a phone number.
	FlagPhoneInvalid FlagKind = "wa-tidak-valid"
	// FlagPhoneNotMobile: the WhatsApp number is not a mobile number.
	FlagPhoneNotMobile FlagKind = "wa-bukan-seluler"
	// FlagEditIgnored: the requester edited the response after the case
	// moved on; At is the edit's time.
	FlagEditIgnored FlagKind = "perubahan-diabaikan"
	// FlagDecisionUnknown: an SOP case's decision cell holds a value
	// that is not one of the step's decisions.
	FlagDecisionUnknown FlagKind = "keputusan-tidak-dikenal"
	// FlagNoteMissing: an SOP correction without a note; the case waits.
	FlagNoteMissing FlagKind = "catatan-koreksi-kosong"
)

// Flag is one reason for attention with what its text needs.
type Flag struct {
	Kind FlagKind
	// Detail is the flag's subject: an unassignment reason, an email
	// kind, a decision label.
	Detail string
	// Reason is a refusal's cause (FlagDeliveryFailed).
	Reason string
	// Status is the case's status the flag speaks of.
	Status Status
	// At is when the flagged event happened (FlagEditIgnored).
	At time.Time
	// Step is the SOP step (engine flags).
	Step int
}

// NeedsAttention reports whether the admin must act on the flag (the
// daily digest lists it); an unassigned case has its own digest list.
func (f Flag) NeedsAttention() bool {
	switch f.Kind {
	case FlagDeliveryFailed, FlagDraftDeleted, FlagAnswerChanged, FlagAnswerEmpty, FlagPhoneInvalid, FlagPhoneNotMobile,
		FlagDecisionUnknown, FlagNoteMissing:
		return true
	}
	return false
}

// Text renders the flag for people, in Indonesian, with times in loc.
func (f Flag) Text(loc *time.Location) string {
	switch f.Kind {
	case FlagUnassigned:
		return msgFlagUnassigned + f.Detail
	case FlagDeliveryFailed:
		return fmt.Sprintf(msgFlagDeliveryFailed, f.Detail, f.Reason)
	case FlagDraftDeleted:
		if f.Detail == KindAnswer {
			return fmt.Sprintf(msgFlagDraftDeleted, f.Detail, msgDraftDeletedResend)
		}
		return fmt.Sprintf(msgFlagDraftDeleted, f.Detail, msgDraftDeletedManual)
	case FlagAnswerChanged:
		return msgAnswerChanged
	case FlagAnswerEmpty:
		return fmt.Sprintf(msgAnswerEmpty, f.Status)
	case FlagPhoneInvalid:
		return msgPhoneInvalid
	case FlagPhoneNotMobile:
		return msgPhoneNotWA
	case FlagEditIgnored:
		return fmt.Sprintf(msgFlagEditIgnored, f.At.In(loc).Format("2006-01-02 15:04"), f.Status)
	case FlagDecisionUnknown:
		return fmt.Sprintf(msgFlagDecisionUnknown, f.Detail, f.Step)
	case FlagNoteMissing:
		return fmt.Sprintf(msgFlagNoteMissing, f.Detail, f.Step)
	}
	return string(f.Kind)
}

// Notes renders a case's flags as the notes cell: one line per flag,
// in the order given. This is the only place the cell's text is made.
func Notes(flags []Flag, loc *time.Location) string {
	lines := make([]string, 0, len(flags))
	for _, f := range flags {
		lines = append(lines, f.Text(loc))
	}
	return strings.Join(lines, "\n")
}

// Attention returns the last flag the admin must act on, if any.
func Attention(flags []Flag) (Flag, bool) {
	for i := len(flags) - 1; i >= 0; i-- {
		if flags[i].NeedsAttention() {
			return flags[i], true
		}
	}
	return Flag{}, false
}
