package google

// SchemaVersion is the tracker layout version kopi writes; `kopi init`
// records it on the spreadsheet and later versions migrate from it.
const SchemaVersion = "1"

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
	// ColStateID holds an outbox record's identity (rules.Delivery.ID).
	ColStateID = "id"
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
		{Key: ColStateID, Header: "id", Daemon: true},
	},
}

// ReportTab is the report the secretariat reads. It has no columns of
// its own: RebuildReport lays the whole tab out (tables, narrative and
// charts) each time, so `kopi init` only creates it.
var ReportTab = TabSchema{Title: "Laporan"}
