package rules

import (
	"fmt"
	"strings"
)

// Problem kinds of a Missing item.
const (
	MissingEmpty   = "kosong"      // the field is not filled
	MissingInvalid = "tidak valid" // the field is filled but unusable
)

// Missing is one reason a submission is incomplete, for the tracker's
// completeness column and the "Kurang Lengkap" email.
type Missing struct {
	// Field is the field concerned.
	Field Field
	// Kind is MissingEmpty or MissingInvalid.
	Kind string
	// Message says, in Indonesian, what is missing and how to fix it.
	Message string
}

// checkEmail and checkPhone report whether the topic checks validity (default true).
func (r CompletenessRules) checkEmail() bool { return r.CheckEmail == nil || *r.CheckEmail }
func (r CompletenessRules) checkPhone() bool { return r.CheckPhone == nil || *r.CheckPhone }

// CheckCompleteness applies the rules of the submission's topic and
// lists what is missing or invalid, in form order; nil means complete.
// A topic the configuration does not know is itself a missing item (the
// form and the config disagree). Email and WhatsApp are checked whenever
// they are filled, required or not, unless the topic turns checking off.
func CheckCompleteness(cfg *Config, s Submission) []Missing {
	topic, known := cfg.Topic(s.Topic)
	rules := topic.Rules
	if !known {
		rules = CompletenessRules{Required: DefaultRequired}
	}
	required := map[Field]bool{}
	for _, f := range rules.Required {
		required[f] = true
	}
	if rules.AttachmentRequired {
		required[FieldLampiran] = true
	}
	var out []Missing
	for _, f := range AllFields {
		v := strings.TrimSpace(s.Value(f))
		if f == FieldLampiran {
			v = ""
			for _, a := range s.Attachments {
				if strings.TrimSpace(a) != "" {
					v = "x"
				}
			}
		}
		if v == "" {
			if required[f] {
				out = append(out, Missing{Field: f, Kind: MissingEmpty, Message: emptyMessage(f)})
			}
			continue
		}
		switch {
		case f == FieldTopik && !known:
			out = append(out, Missing{Field: f, Kind: MissingInvalid,
				Message: fmt.Sprintf(msgTopicUnknown, s.Topic, strings.Join(cfg.TopicNames(), "; "))})
		case f == FieldEmail && rules.checkEmail() && !isEmail(v):
			out = append(out, Missing{Field: f, Kind: MissingInvalid, Message: msgMissingEmailBad})
		case f == FieldWhatsApp && rules.checkPhone():
			if _, ok := NormalizePhone(v); !ok {
				out = append(out, Missing{Field: f, Kind: MissingInvalid, Message: msgMissingPhoneBad})
			}
		}
	}
	return out
}

func emptyMessage(f Field) string {
	if m, ok := msgMissingEmpty[f]; ok {
		return m
	}
	return fmt.Sprintf(msgMissingGeneric, f.Label())
}

// CompletenessText renders the completeness column: "Lengkap", or
// "Kurang: …" with each item's message on its own line.
func CompletenessText(missing []Missing) string {
	if len(missing) == 0 {
		return msgComplete
	}
	var b strings.Builder
	b.WriteString(msgIncompletePrefix)
	for _, m := range missing {
		b.WriteString("\n- ")
		b.WriteString(m.Message)
	}
	return b.String()
}
