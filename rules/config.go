package rules

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is the office's kopi configuration, read from one YAML file
// (see kopi.example.yaml). Build it with ParseConfig, or start from
// DefaultConfig and call Validate. Nothing in it is secret: OAuth
// credentials and tokens live in their own files.
type Config struct {
	// TimeZone is the IANA zone of the office (default Asia/Jakarta).
	TimeZone string `yaml:"timezone"`
	// OfficeHours is the normal working week (Perpres 21/2023 hours by default).
	OfficeHours WeekHours `yaml:"office_hours"`
	// Ramadan lists date ranges with their own, shorter hours.
	Ramadan []HoursPeriod `yaml:"ramadan"`
	// Holidays selects the holiday tables.
	Holidays HolidayConfig `yaml:"holidays"`
	// Intake names the Google Form and how its questions map to fields.
	Intake IntakeConfig `yaml:"intake"`
	// Topics are the consultation topics exactly as the form shows them.
	Topics []Topic `yaml:"topics"`
	// SOP optionally overrides the time standards of the shipped KOPI
	// SOP (sop/kopi.yaml); empty keeps them.
	SOP SOPConfig `yaml:"sop"`
	// SOPs lists the other SOPs the daemon runs against the same
	// spreadsheet: a shipped SOP's id (e.g. bimtek) or the path of a
	// definition file (.yaml). Each gets its own tab.
	SOPs []string `yaml:"sops,omitempty"`
	// Tracker names the tracking spreadsheet.
	Tracker TrackerConfig `yaml:"tracker"`
	// Mail configures the sender, the admins and the Gmail limits.
	Mail MailConfig `yaml:"mail"`
	// Answers configures the answer flow.
	Answers AnswerConfig `yaml:"answers"`
	// Reminders configures reminders and escalation.
	Reminders ReminderConfig `yaml:"reminders"`
	// Survey names the satisfaction survey, once it exists.
	Survey SurveyConfig `yaml:"survey"`
	// Report configures the report tab and the month-end email.
	Report ReportConfig `yaml:"report"`
	// Google configures the API clients.
	Google GoogleConfig `yaml:"google"`
	// Schedule configures when the daemon runs.
	Schedule ScheduleConfig `yaml:"schedule"`
	// Retention configures anonymisation of old cases (UU 27/2022).
	Retention RetentionConfig `yaml:"retention"`
	// Archive moves old closed cases to a yearly archive tab.
	Archive ArchiveConfig `yaml:"archive"`
	// HTTP configures the health and metrics listener.
	HTTP HTTPConfig `yaml:"http"`
	// Log configures the daemon's logs.
	Log LogConfig `yaml:"log"`

	loc *time.Location
}

// HolidayConfig says which days off the calendar knows.
type HolidayConfig struct {
	// Builtin includes the embedded national table (2026); default true.
	Builtin bool `yaml:"builtin"`
	// Files are more tables in the libur-2026.csv format, relative to
	// the config file; the caller reads them and passes them to Calendar.
	Files []string `yaml:"files"`
	// Extra are single days off, e.g. the regency's anniversary.
	Extra []Holiday `yaml:"extra"`
}

// IntakeConfig names the intake form and maps its question titles to
// the case's fields.
type IntakeConfig struct {
	// FormID is the id of the Google Form (from its edit URL).
	FormID string `yaml:"form_id"`
	// Questions maps each field to the question title on the form.
	Questions QuestionTitles `yaml:"questions"`
}

// QuestionTitles holds the title of the form question for each field;
// an empty title means the form has no such question.
type QuestionTitles struct {
	Nama       string `yaml:"nama"`
	Instansi   string `yaml:"instansi"`
	Email      string `yaml:"email"`
	WhatsApp   string `yaml:"whatsapp"`
	Topik      string `yaml:"topik"`
	Pertanyaan string `yaml:"pertanyaan"`
	Lampiran   string `yaml:"lampiran"`
}

// ByField returns the configured titles keyed by field, omitting empty ones.
func (q QuestionTitles) ByField() map[Field]string {
	m := map[Field]string{}
	for _, f := range AllFields {
		if t := q.Title(f); t != "" {
			m[f] = t
		}
	}
	return m
}

// Title returns the configured title of field f.
func (q QuestionTitles) Title(f Field) string {
	switch f {
	case FieldNama:
		return q.Nama
	case FieldInstansi:
		return q.Instansi
	case FieldEmail:
		return q.Email
	case FieldWhatsApp:
		return q.WhatsApp
	case FieldTopik:
		return q.Topik
	case FieldPertanyaan:
		return q.Pertanyaan
	case FieldLampiran:
		return q.Lampiran
	}
	return ""
}

// Topic is a consultation topic (SOP "jenis layanan konsultasi") with
// its completeness rules and its supervisor.
type Topic struct {
	// Name is the choice exactly as the form shows it.
	Name string `yaml:"name"`
	// Code is an optional short alias staff may type in the roster.
	Code string `yaml:"code,omitempty"`
	// Supervisor is the email of the Inspektur Pembantu who receives
	// escalations; empty sends escalations to the admins.
	Supervisor string `yaml:"supervisor,omitempty"`
	// Rules are the completeness rules of the topic.
	Rules CompletenessRules `yaml:",inline"`
}

// CompletenessRules say when a submission of a topic is complete.
type CompletenessRules struct {
	// Required lists the fields that must be filled (default:
	// nama, instansi, email, whatsapp, topik, pertanyaan).
	Required []Field `yaml:"required"`
	// AttachmentRequired demands at least one attachment link or file.
	AttachmentRequired bool `yaml:"attachment_required"`
	// CheckEmail demands a valid email when one is given (default true).
	CheckEmail *bool `yaml:"check_email,omitempty"`
	// CheckPhone demands a valid phone number when one is given (default true).
	CheckPhone *bool `yaml:"check_phone,omitempty"`
}

// SOPConfig is a standard operating procedure as data.
type SOPConfig struct {
	// Name is the SOP's title.
	Name string `yaml:"name"`
	// Steps are the SOP's steps in order, numbered from 1.
	Steps []Step `yaml:"steps"`
}

// TrackerConfig names the tracking spreadsheet.
type TrackerConfig struct {
	// SpreadsheetID is the id of the Google Sheet (from its URL).
	SpreadsheetID string `yaml:"spreadsheet_id"`
}

// MailConfig configures outgoing mail.
type MailConfig struct {
	// Sender is the From of every email; its address is the authorised account.
	Sender Address `yaml:"sender"`
	// Admins receive escalations, the daily digest and unassigned cases.
	Admins []string `yaml:"admins"`
	// DailyLimit is the Gmail sending limit per day (500 consumer, 2000 Workspace).
	DailyLimit int `yaml:"daily_limit"`
	// TemplatesDir overrides the built-in email templates; empty uses them.
	TemplatesDir string `yaml:"templates_dir,omitempty"`
}

// Address is a display name and an email address.
type Address struct {
	Name    string `yaml:"name"`
	Address string `yaml:"address"`
}

// AnswerConfig configures the answer flow.
type AnswerConfig struct {
	// ApprovalRequired makes the admin approve (Disetujui) before an
	// answer is sent; default true as in the SOP.
	ApprovalRequired bool `yaml:"approval_required"`
}

// ReminderConfig configures reminders and escalation of step 3.
type ReminderConfig struct {
	// Enabled turns reminders on (default true).
	Enabled bool `yaml:"enabled"`
	// PreBreachShare is the share of the time standard after which the
	// consultant is reminded (default 0.75).
	PreBreachShare float64 `yaml:"pre_breach_share"`
	// EscalateAfter is the working time after the deadline at which the
	// topic's supervisor is told (default 4h).
	EscalateAfter Span `yaml:"escalate_after"`
}

// SurveyConfig names the satisfaction survey (SKM, PermenPANRB 14/2017),
// created by `kopi init --create-survey-form`.
type SurveyConfig struct {
	// FormID is the survey Google Form's id.
	FormID string `yaml:"form_id,omitempty"`
	// URL is the survey's public link (the form's responderUri); answer
	// emails carry it with the ticket prefilled. Empty = no link.
	URL string `yaml:"url,omitempty"`
	// TicketQuestionID is the Forms API question id (hex) of the ticket
	// question, whose decimal value names the prefill parameter entry.N.
	TicketQuestionID string `yaml:"ticket_question_id,omitempty"`
	// FollowUpAfter sends one reminder with the link this working time
	// after the answer when no survey came back; zero turns it off.
	FollowUpAfter Span `yaml:"follow_up_after,omitempty"`
}

// ReportConfig configures the Laporan tab and the month-end email.
type ReportConfig struct {
	// Text is the narrative of the report (the SOP's "Laporan").
	Text ReportText `yaml:",inline"`
	// Secretariat receives the month-end report email (SOP step 5);
	// empty sends it to the admins.
	Secretariat []string `yaml:"sekretariat,omitempty"`
	// MonthEndEmail turns the month-end email on (default true).
	MonthEndEmail bool `yaml:"email_akhir_bulan"`
}

// GoogleConfig configures the API clients.
type GoogleConfig struct {
	// Endpoint, when set, points every client at this base URL (a fake
	// Workspace for tests and demos).
	Endpoint string `yaml:"endpoint,omitempty"`
	// CredentialsFile is the OAuth client file (default credentials.json).
	CredentialsFile string `yaml:"credentials_file"`
	// TokenFile is the saved OAuth token, mode 0600 (default token.json).
	TokenFile string `yaml:"token_file"`
}

// ScheduleConfig configures the daemon's timers (wall-clock durations).
type ScheduleConfig struct {
	// CycleOffice is the cycle interval during office hours (default 1m).
	CycleOffice time.Duration `yaml:"cycle_office"`
	// CycleOutside is the cycle interval outside office hours (default 15m).
	CycleOutside time.Duration `yaml:"cycle_outside"`
	// ReportAt is the time of day of the nightly report rebuild (default 02:00).
	ReportAt Clock `yaml:"report_at"`
}

// RetentionConfig configures anonymisation of closed cases.
type RetentionConfig struct {
	// AnonymizeAfterDays clears identity columns of cases closed longer
	// ago than this; 0 (the default) keeps everything.
	AnonymizeAfterDays int `yaml:"anonymize_after_days"`
}

// HTTPConfig configures the health and metrics listener.
type HTTPConfig struct {
	// Listen is host:port (default 127.0.0.1:8080); empty turns it off.
	Listen string `yaml:"listen"`
}

// LogConfig configures logs.
type LogConfig struct {
	// Format is text or json (default text).
	Format string `yaml:"format"`
	// Level is debug, info, warn or error (default info).
	Level string `yaml:"level"`
}

// Default question titles: the ones `kopi init --create-intake-form` puts
// on the form it creates.
var DefaultQuestionTitles = QuestionTitles{
	Nama:       "Nama Lengkap",
	Instansi:   "Instansi / Unit Kerja",
	Email:      "Alamat Email",
	WhatsApp:   "Nomor WhatsApp",
	Topik:      "Jenis Layanan Konsultasi",
	Pertanyaan: "Pertanyaan / Permasalahan",
	Lampiran:   "Tautan Dokumen Pendukung",
}

// The four topics of the KOPI SOP, named exactly as the form shows them.
const (
	TopicUmum         = "Informasi umum Inspektorat"
	TopicAudit        = "Audit"
	TopicReviu        = "Reviu, monitoring dan evaluasi"
	TopicTindakLanjut = "Tindak lanjut hasil pemeriksaan"
)

// DefaultRequired is the default list of required fields of a topic.
var DefaultRequired = []Field{FieldNama, FieldInstansi, FieldEmail, FieldWhatsApp, FieldTopik, FieldPertanyaan}

func hours(open, close, bs, be string) *DayHours {
	h := &DayHours{Open: MustClock(open), Close: MustClock(close)}
	if bs != "" {
		h.BreakStart, h.BreakEnd = MustClock(bs), MustClock(be)
	}
	return h
}

// DefaultOfficeHours is the common civil-service week (Perpres 21/2023):
// Monday–Thursday 07:30–16:00 with a 12:00–13:00 break, Friday
// 07:30–16:30 with an 11:30–13:00 break — 37.5 hours.
func DefaultOfficeHours() WeekHours {
	return WeekHours{
		Monday:    hours("07:30", "16:00", "12:00", "13:00"),
		Tuesday:   hours("07:30", "16:00", "12:00", "13:00"),
		Wednesday: hours("07:30", "16:00", "12:00", "13:00"),
		Thursday:  hours("07:30", "16:00", "12:00", "13:00"),
		Friday:    hours("07:30", "16:30", "11:30", "13:00"),
	}
}

// DefaultRamadanHours is the civil-service week in Ramadan (32.5 hours,
// start 08:00): Monday–Thursday 08:00–15:00 with a 12:00–12:30 break,
// Friday 08:00–15:30 with an 11:30–12:30 break.
func DefaultRamadanHours() WeekHours {
	return WeekHours{
		Monday:    hours("08:00", "15:00", "12:00", "12:30"),
		Tuesday:   hours("08:00", "15:00", "12:00", "12:30"),
		Wednesday: hours("08:00", "15:00", "12:00", "12:30"),
		Thursday:  hours("08:00", "15:00", "12:00", "12:30"),
		Friday:    hours("08:00", "15:30", "11:30", "12:30"),
	}
}

// DefaultRamadan is Ramadan 1447 H (19 February – 20 March 2026) with
// the default Ramadan hours.
func DefaultRamadan() []HoursPeriod {
	return []HoursPeriod{{
		Name:  "Ramadan 1447 H",
		From:  Date{Year: 2026, Month: time.February, Day: 19},
		To:    Date{Year: 2026, Month: time.March, Day: 20},
		Hours: DefaultRamadanHours(),
	}}
}

// DefaultTopics are the four SOP topics; only follow-up of audit
// findings needs a supporting document by default.
func DefaultTopics() []Topic {
	var ts []Topic
	for _, t := range []struct{ name, code string }{
		{TopicUmum, "umum"}, {TopicAudit, "audit"}, {TopicReviu, "reviu"}, {TopicTindakLanjut, "tlhp"},
	} {
		ts = append(ts, Topic{Name: t.name, Code: t.code, Rules: CompletenessRules{
			Required:           append([]Field(nil), DefaultRequired...),
			AttachmentRequired: t.name == TopicTindakLanjut,
		}})
	}
	return ts
}

// DefaultConfig returns a configuration with every default filled in;
// the office still has to give the form, spreadsheet, sender and admins.
func DefaultConfig() *Config {
	return &Config{
		TimeZone:    "Asia/Jakarta",
		OfficeHours: DefaultOfficeHours(),
		Ramadan:     DefaultRamadan(),
		Holidays:    HolidayConfig{Builtin: true},
		Intake:      IntakeConfig{Questions: DefaultQuestionTitles},
		Topics:      DefaultTopics(),
		Mail:        MailConfig{Sender: Address{Name: "Admin KOPI"}, DailyLimit: 500},
		Answers:     AnswerConfig{ApprovalRequired: true},
		Report:      ReportConfig{MonthEndEmail: true},
		Reminders:   ReminderConfig{Enabled: true, PreBreachShare: 0.75, EscalateAfter: MustSpan("4h")},
		Google:      GoogleConfig{CredentialsFile: "credentials.json", TokenFile: "token.json"},
		Schedule:    ScheduleConfig{CycleOffice: time.Minute, CycleOutside: 15 * time.Minute, ReportAt: MustClock("02:00")},
		HTTP:        HTTPConfig{Listen: "127.0.0.1:8080"},
		Log:         LogConfig{Format: "text", Level: "info"},
	}
}

// ParseConfig reads a YAML configuration over the defaults and validates
// it. Unknown keys, values of the wrong type and every validation
// problem are reported together in one *ConfigError, in Indonesian.
// Keys the file leaves out keep their defaults; a list the file gives
// (topics, ramadan, sop.steps…) replaces the default list.
func ParseConfig(data []byte) (*Config, error) {
	cfg := DefaultConfig()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var problems []Problem
	err := dec.Decode(cfg)
	var te *yaml.TypeError
	switch {
	case err == nil, errors.Is(err, io.EOF):
	case errors.As(err, &te):
		for _, e := range te.Errors {
			problems = append(problems, translateYAMLError(e))
		}
	default:
		return nil, &ConfigError{Problems: []Problem{{Message: msgYAMLSyntax + strings.TrimPrefix(err.Error(), "yaml: ")}}}
	}
	cfg.fillDefaults()
	if err := cfg.Validate(); err != nil {
		var ce *ConfigError
		if errors.As(err, &ce) {
			problems = append(problems, ce.Problems...)
		}
	}
	if len(problems) > 0 {
		return cfg, &ConfigError{Problems: problems}
	}
	return cfg, nil
}

// fillDefaults completes list elements, which YAML creates empty.
func (c *Config) fillDefaults() {
	for i := range c.Ramadan {
		if c.Ramadan[i].Hours == (WeekHours{}) {
			c.Ramadan[i].Hours = DefaultRamadanHours()
		}
	}
	for i := range c.Topics {
		if c.Topics[i].Rules.Required == nil {
			c.Topics[i].Rules.Required = append([]Field(nil), DefaultRequired...)
		}
	}
	for i := range c.Holidays.Extra {
		if c.Holidays.Extra[i].Kind == "" {
			c.Holidays.Extra[i].Kind = HolidayLocal
		}
	}
}

// Location is the office's time zone, loaded by Validate (UTC before).
func (c *Config) Location() *time.Location {
	if c.loc == nil {
		return time.UTC
	}
	return c.loc
}

// Topic finds a topic by its name or code, ignoring case and extra spaces.
func (c *Config) Topic(nameOrCode string) (Topic, bool) {
	k := normKey(nameOrCode)
	for _, t := range c.Topics {
		if normKey(t.Name) == k || (t.Code != "" && normKey(t.Code) == k) {
			return t, true
		}
	}
	return Topic{}, false
}

// TopicNames lists the topic names in configuration order.
func (c *Config) TopicNames() []string {
	var ns []string
	for _, t := range c.Topics {
		ns = append(ns, t.Name)
	}
	return ns
}

// ReminderPolicy is the reminder configuration as DueReminder takes it.
func (c *Config) ReminderPolicy() ReminderPolicy {
	return ReminderPolicy{Enabled: c.Reminders.Enabled, Share: c.Reminders.PreBreachShare, EscalateAfter: c.Reminders.EscalateAfter}
}

// HolidayList returns the built-in table (if enabled) and the extra days;
// tables from Holidays.Files are read by the caller.
func (c *Config) HolidayList() []Holiday {
	var hs []Holiday
	if c.Holidays.Builtin {
		hs = BuiltinHolidays()
	}
	return append(hs, c.Holidays.Extra...)
}

// Calendar builds the office calendar: office hours, Ramadan periods,
// the configured holidays and fromFiles (tables the caller read from
// Holidays.Files with ParseHolidayCSV). Call it after Validate.
func (c *Config) Calendar(fromFiles ...Holiday) (*Calendar, error) {
	return NewCalendar(c.Location(), c.OfficeHours, c.Ramadan, append(c.HolidayList(), fromFiles...))
}

// normKey folds case and collapses spaces for lenient name matching.
func normKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
