package rules

import (
	"reflect"
	"strings"
	"testing"
)

func validConfig(t testing.TB) *Config {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Intake.FormID = "form1"
	cfg.Tracker.SpreadsheetID = "sheet1"
	cfg.Mail.Sender.Address = "kopi@inspektorat.example.go.id"
	cfg.Mail.Admins = []string{"admin@inspektorat.example.go.id"}
	cfg.Topics[1].Supervisor = "irban1@inspektorat.example.go.id"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func fullSubmission() Submission {
	return Submission{
		ResponseID: "r1",
		Name:       "Siti Aminah",
		Unit:       "Desa Sungai Luar",
		Email:      "siti@desa.example.id",
		WhatsApp:   "0812-3456-7890",
		Topic:      TopicAudit,
		Question:   "Bagaimana pertanggungjawaban Dana Desa tahap II?",
	}
}

func TestCheckCompleteness(t *testing.T) {
	cfg := validConfig(t)
	f := false
	cfg.Topics[0].Rules.CheckPhone = &f // Informasi umum: phone not checked
	tests := []struct {
		name   string
		edit   func(*Submission)
		fields []Field
		kinds  []string
	}{
		{"complete", func(*Submission) {}, nil, nil},
		{"topic names match loosely", func(s *Submission) { s.Topic = "  audit " }, nil, nil},
		{"empty name and question", func(s *Submission) { s.Name, s.Question = " ", "" },
			[]Field{FieldNama, FieldPertanyaan}, []string{MissingEmpty, MissingEmpty}},
		{"bad email", func(s *Submission) { s.Email = "siti at desa" }, []Field{FieldEmail}, []string{MissingInvalid}},
		{"bad phone", func(s *Submission) { s.WhatsApp = "12345" }, []Field{FieldWhatsApp}, []string{MissingInvalid}},
		{"+62 phone is fine", func(s *Submission) { s.WhatsApp = "+62 812 3456 7890" }, nil, nil},
		{"TLHP needs an attachment", func(s *Submission) { s.Topic = TopicTindakLanjut },
			[]Field{FieldLampiran}, []string{MissingEmpty}},
		{"TLHP with a blank attachment", func(s *Submission) { s.Topic = TopicTindakLanjut; s.Attachments = []string{" "} },
			[]Field{FieldLampiran}, []string{MissingEmpty}},
		{"TLHP with an attachment", func(s *Submission) {
			s.Topic = TopicTindakLanjut
			s.Attachments = []string{"https://drive.google.com/open?id=abc"}
		}, nil, nil},
		{"reviu topic with its comma", func(s *Submission) { s.Topic = "Reviu, monitoring dan evaluasi" }, nil, nil},
		{"unknown topic", func(s *Submission) { s.Topic = "Pengaduan" }, []Field{FieldTopik}, []string{MissingInvalid}},
		{"no topic", func(s *Submission) { s.Topic = "" }, []Field{FieldTopik}, []string{MissingEmpty}},
		{"phone check off for the topic", func(s *Submission) { s.Topic = TopicUmum; s.WhatsApp = "123" }, nil, nil},
		{"everything missing", func(s *Submission) { *s = Submission{Topic: TopicAudit} },
			[]Field{FieldNama, FieldInstansi, FieldEmail, FieldWhatsApp, FieldPertanyaan},
			[]string{MissingEmpty, MissingEmpty, MissingEmpty, MissingEmpty, MissingEmpty}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fullSubmission()
			tt.edit(&s)
			got := CheckCompleteness(cfg, s)
			var fields []Field
			var kinds []string
			for _, m := range got {
				fields = append(fields, m.Field)
				kinds = append(kinds, m.Kind)
				if m.Message == "" || !strings.Contains(m.Message, "—") {
					t.Errorf("message %q should say what and how to fix", m.Message)
				}
			}
			if !reflect.DeepEqual(fields, tt.fields) || !reflect.DeepEqual(kinds, tt.kinds) {
				t.Errorf("got %v %v, want %v %v", fields, kinds, tt.fields, tt.kinds)
			}
		})
	}
}

func TestCompletenessText(t *testing.T) {
	if got := CompletenessText(nil); got != "Lengkap" {
		t.Errorf("complete = %q", got)
	}
	cfg := validConfig(t)
	s := fullSubmission()
	s.Email = "x"
	got := CompletenessText(CheckCompleteness(cfg, s))
	if !strings.HasPrefix(got, "Kurang:\n- Alamat email tidak valid") {
		t.Errorf("incomplete = %q", got)
	}
}
