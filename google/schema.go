package google

// SchemaVersion is the tracker layout version kopi writes; `kopi init`
// records it on the spreadsheet and later versions migrate from it.
const SchemaVersion = "1"

// Field keys of the consultation tab. The Indonesian headers are what
// staff see; the keys are what the code and the column anchors use.
const (
	ColTicket          = "ticket"
	ColReceived        = "received"
	ColName            = "name"
	ColUnit            = "unit"
	ColEmail           = "email"
	ColWhatsApp        = "whatsapp"
	ColTopic           = "topic"
	ColQuestion        = "question"
	ColAttachments     = "attachments"
	ColCompleteness    = "completeness"
	ColConsultant      = "consultant"
	ColConsultantEmail = "consultant_email"
	ColAssignedAt      = "assigned_at"
	ColDeadline        = "deadline"
	ColStatus          = "status"
	ColAnswer          = "answer"
	ColAnsweredBy      = "answered_by"
	ColAnsweredAt      = "answered_at"
	ColSentAt          = "sent_at"
	ColWhatsAppLink    = "wa_link"
	ColSurvey          = "survey"
	ColNotes           = "notes"
	ColResponseID      = "response_id"
	ColResponseVersion = "response_version"
)

// CasesTab is the consultation tab: a row per consultation. Daemon columns
// are protected with a warning; the status, consultant and answer are the
// staff's.
func CasesTab(statuses []string) TabSchema {
	return TabSchema{
		Title:    "Konsultasi",
		Anchored: true,
		Columns: []ColumnSpec{
			{Key: ColTicket, Header: "No. Tiket", Daemon: true, Width: 130},
			{Key: ColReceived, Header: "Diterima", Daemon: true, Width: 130},
			{Key: ColName, Header: "Nama", Daemon: true, Width: 160},
			{Key: ColUnit, Header: "Instansi", Daemon: true, Width: 180},
			{Key: ColEmail, Header: "Email", Daemon: true, Width: 180},
			{Key: ColWhatsApp, Header: "WhatsApp", Daemon: true, Width: 130},
			{Key: ColTopic, Header: "Topik", Daemon: true, Width: 180},
			{Key: ColQuestion, Header: "Pertanyaan", Daemon: true, Width: 320},
			{Key: ColAttachments, Header: "Lampiran", Daemon: true, Width: 200},
			{Key: ColCompleteness, Header: "Kelengkapan", Daemon: true, Width: 200},
			{Key: ColConsultant, Header: "Konsuler", Width: 160},
			{Key: ColConsultantEmail, Header: "Email Konsuler", Width: 180},
			{Key: ColAssignedAt, Header: "Ditugaskan Pada", Daemon: true, Width: 130},
			{Key: ColDeadline, Header: "Tenggat", Daemon: true, Width: 130},
			{Key: ColStatus, Header: "Status", Choices: statuses, Width: 130},
			{Key: ColAnswer, Header: "Jawaban", Width: 320},
			{Key: ColAnsweredBy, Header: "Dijawab Oleh", Daemon: true, Width: 160},
			{Key: ColAnsweredAt, Header: "Dijawab Pada", Daemon: true, Width: 130},
			{Key: ColSentAt, Header: "Terkirim Pada", Daemon: true, Width: 130},
			{Key: ColWhatsAppLink, Header: "Tautan WhatsApp", Daemon: true, Width: 200},
			{Key: ColSurvey, Header: "Survei", Daemon: true, Width: 120},
			{Key: ColNotes, Header: "Catatan Sistem", Daemon: true, Width: 240},
			{Key: ColResponseID, Header: "ID Respons", Daemon: true, Width: 160},
			{Key: ColResponseVersion, Header: "Versi Respons", Daemon: true, Width: 160},
		},
	}
}

// Field keys of the roster tab.
const (
	ColRosterName    = "name"
	ColRosterEmail   = "email"
	ColRosterTopics  = "topics"
	ColRosterActive  = "active"
	ColRosterMaxOpen = "max_open"
	ColRosterLeave   = "on_leave_until"
	ColRosterRole    = "role"
)

// RosterTab is the consultants' roster staff maintain: changing
// consultants needs no config edit and no restart.
var RosterTab = TabSchema{
	Title: "Konsuler",
	Columns: []ColumnSpec{
		{Key: ColRosterName, Header: "Nama", Width: 200},
		{Key: ColRosterEmail, Header: "Email", Width: 220},
		{Key: ColRosterRole, Header: "Jabatan", Width: 200},
		{Key: ColRosterTopics, Header: "Topik", Width: 360},
		{Key: ColRosterActive, Header: "Aktif", Choices: []string{"Ya", "Tidak"}, Width: 80},
		{Key: ColRosterMaxOpen, Header: "Maks Kasus Terbuka", Width: 150},
		{Key: ColRosterLeave, Header: "Cuti Sampai", Width: 130},
	},
}

// Field keys of the hidden state tab.
const (
	ColStateKind   = "kind"
	ColStateKey    = "key"
	ColStateTicket = "ticket"
	ColStateValue  = "value"
	ColStateDraft  = "draft"
	ColStateThread = "thread"
	ColStateMsg    = "message"
	ColStateTime   = "time"
	ColStateDetail = "detail"
)

// StateTab is the hidden, protected tab of the daemon's own records: the
// ledger of processed responses, the outbox journal, the cursor and the
// schema version. The spreadsheet is the only durable store, so moving
// the daemon to another machine loses nothing.
var StateTab = TabSchema{
	Title:  "_kopi",
	Hidden: true,
	Columns: []ColumnSpec{
		{Key: ColStateKind, Header: "jenis", Daemon: true},
		{Key: ColStateKey, Header: "kunci", Daemon: true},
		{Key: ColStateTicket, Header: "tiket", Daemon: true},
		{Key: ColStateValue, Header: "nilai", Daemon: true},
		{Key: ColStateDraft, Header: "draf", Daemon: true},
		{Key: ColStateThread, Header: "utas", Daemon: true},
		{Key: ColStateMsg, Header: "pesan", Daemon: true},
		{Key: ColStateTime, Header: "waktu", Daemon: true},
		{Key: ColStateDetail, Header: "keterangan", Daemon: true},
	},
}

// ReportTab is the report the secretariat reads. It has no columns of
// its own: RebuildReport lays the whole tab out (tables, narrative and
// charts) each time, so `kopi init` only creates it.
var ReportTab = TabSchema{Title: "Laporan"}
