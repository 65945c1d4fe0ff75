package rules

// This file holds every user-facing string of the package, in Bahasa
// Indonesia: configuration problems for the operator, completeness notes
// for requesters, assignment and reminder reasons for the admin.

const (
	msgBadDate  = "tanggal %q tidak dapat dibaca — tulis dengan format TTTT-BB-HH, mis. 2026-03-18"
	msgBadClock = "jam %q tidak dapat dibaca — tulis dengan format JJ:MM, mis. 07:30"
	msgBadSpan  = "durasi %q tidak dapat dibaca — tulis mis. \"30m\", \"2h\", \"1d\" (1 hari kerja) atau \"30 menit\""

	msgCalendarNoHours = "jam kerja kosong: kantor tidak buka satu hari pun dalam seminggu"

	msgHolidayCSVEmpty   = "%s: berkas libur kosong — baris pertama harus berisi judul kolom tanggal,hari,jenis,keterangan"
	msgHolidayCSVHeader  = "%s: kolom \"tanggal\" tidak ada — baris pertama harus berisi tanggal,hari,jenis,keterangan"
	msgHolidayCSVLine    = "%s baris %d: %v"
	msgHolidayCSVQuote   = "tanda kutip (\") tidak berpasangan — apit seluruh isi kolom dengan tanda kutip dan tulis kutip di dalamnya dua kali (\"\")"
	msgHolidayCSVWeekday = "%s baris %d: %s bukan hari %s melainkan hari %s — periksa tanggal atau nama harinya"
	msgHolidayCSVKind    = "%s baris %d: jenis %q tidak dikenal — gunakan libur, cuti_bersama atau lokal"
)

// Configuration problems: what is wrong — how to fix it.
const (
	msgConfigInvalid = "konfigurasi tidak sah (%d masalah):"
	msgYAMLSyntax    = "berkas bukan YAML yang sah — periksa indentasi (pakai spasi, bukan tab) dan tanda titik dua: "
	msgUnknownKey    = "kunci %q tidak dikenal — periksa ejaan dan indentasinya"
	msgKnownKeys     = "; kunci yang dikenal di bagian ini: %s"
	msgWrongType     = "nilai %s tidak sesuai — isi dengan %s"
	msgDuplicateKey  = "kunci %q ditulis dua kali (juga di baris %s) — hapus salah satunya"

	msgRequired        = "wajib diisi — %s"
	msgTimeZone        = "zona waktu %q tidak dikenal (%v) — gunakan nama IANA, mis. Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)"
	msgNoOfficeDay     = "kantor tidak buka satu hari pun — isi jam kerja minimal satu hari, mis. monday: {open: \"07:30\", close: \"16:00\"}"
	msgOpenClose       = "jam buka %s tidak sebelum jam tutup %s — jam buka harus lebih awal dari jam tutup"
	msgBreakPair       = "break_start dan break_end harus diisi berpasangan — isi keduanya atau hapus keduanya"
	msgBreakRange      = "istirahat %s–%s harus berada di dalam jam kerja %s–%s dan mulai sebelum selesai"
	msgPeriodOrder     = "tanggal awal %s sesudah tanggal akhir %s — tukar atau perbaiki tanggalnya"
	msgPeriodNoHours   = "tidak ada hari kerja dalam periode ini — isi hours atau hapus bagian hours agar memakai jam kerja Ramadan standar"
	msgHolidayFile     = "berkas libur harus berupa .csv dengan format libur-2026.csv (tanggal,hari,jenis,keterangan)"
	msgHolidayName     = "nama hari libur wajib diisi — mis. name: \"HUT Kabupaten\""
	msgHolidayKindBad  = "jenis %q tidak dikenal — gunakan libur, cuti_bersama atau lokal"
	msgIDIsURL         = "berisi tautan, bukan ID — tulis ID-nya saja: %s"
	msgIDBad           = "ID %q tidak wajar (berisi spasi atau garis miring) — salin ID dari tautan %s"
	msgFormIDHow       = "isi dengan ID Google Form konsultasi, yaitu bagian di antara /forms/d/ dan /edit pada tautan edit formulir"
	msgSheetIDHow      = "isi dengan ID Google Sheet pelacak, yaitu bagian di antara /spreadsheets/d/ dan /edit pada tautannya (atau jalankan kopi init)"
	msgQuestionHow     = "isi dengan judul pertanyaan persis seperti di formulir"
	msgQuestionDup     = "judul %q juga dipakai untuk %s — setiap kolom harus memetakan pertanyaan yang berbeda"
	msgNoTopics        = "daftar topik kosong — isi minimal satu topik persis seperti pilihan di formulir"
	msgTopicDup        = "topik %q ditulis lebih dari sekali — hapus salah satunya"
	msgCodeDup         = "kode %q sudah dipakai topik lain — pilih kode yang berbeda"
	msgCodeBad         = "kode %q tidak boleh berisi spasi atau koma — pakai satu kata, mis. tlhp"
	msgFieldUnknown    = "kolom %q tidak dikenal — gunakan: %s"
	msgFieldNoQuestion = "kolom %q wajib, tetapi intake.questions.%s kosong — isi judul pertanyaannya atau hapus dari daftar wajib"
	msgAttachNoQ       = "lampiran wajib, tetapi intake.questions.lampiran kosong — isi judul pertanyaan lampiran atau set attachment_required: false"
	msgEmailBad        = "alamat email %q tidak sah — tulis satu alamat lengkap, mis. irban1@inspektorat.go.id"
	msgEmailHow        = "isi dengan alamat email, mis. kopi@inspektorat.go.id"
	msgAdminsHow       = "isi minimal satu alamat email admin KOPI yang menerima eskalasi dan ringkasan harian"
	msgNoSteps         = "langkah SOP kosong — isi langkah-langkah SOP atau hapus bagian sop agar memakai SOP KOPI bawaan"
	msgStepNo          = "nomor langkah harus %d (langkah diberi nomor urut mulai 1) — perbaiki nomornya"
	msgStepNameHow     = "isi dengan uraian kegiatan langkah SOP"
	msgStepStandardHow = "isi dengan waktu baku langkah dalam waktu kerja, mis. 30m atau 1d"
	msgStepAnswerMiss  = "langkah %d (tim menjawab) wajib ada karena tenggat konsuler dihitung darinya"
	msgDailyLimit      = "batas harian %d tidak wajar — isi antara 1 dan 10000 (Gmail biasa 500, Google Workspace 2000)"
	msgShare           = "nilai %v harus di antara 0 dan 1 (bagian dari waktu baku), mis. 0.75"
	msgNegativeSpan    = "durasi tidak boleh kosong atau negatif — isi mis. 4h"
	msgEndpoint        = "alamat %q tidak sah — tulis URL lengkap, mis. http://127.0.0.1:8090, atau kosongkan untuk Google asli"
	msgFileHow         = "isi dengan nama berkas, mis. %s"
	msgCycle           = "interval %v terlalu pendek — isi minimal 10s"
	msgCycleOrder      = "interval di luar jam kerja (%v) lebih pendek dari interval jam kerja (%v) — samakan atau perpanjang"
	msgRetention       = "nilai %d tidak boleh negatif — isi 0 untuk mematikan atau jumlah hari, mis. 730"
	msgArchiveDays     = "nilai %d tidak sah — isi 0 untuk mematikan arsip atau minimal %d hari, mis. 90"
	msgArchiveRetain   = "arsip setelah %d hari lebih cepat dari anonimisasi setelah %d hari — kasus di tab Arsip tidak dianonimkan; isi archive.after_days minimal %d atau perpendek retention.anonymize_after_days"
	msgListen          = "alamat %q tidak sah (%v) — tulis host:port, mis. 127.0.0.1:8080, atau kosongkan untuk mematikan"
	msgLogFormat       = "format %q tidak dikenal — gunakan text atau json"
	msgLogLevel        = "level %q tidak dikenal — gunakan debug, info, warn atau error"
	msgURL             = "tautan %q tidak sah — tulis URL lengkap berawalan https://"
)

// Field labels and completeness notes, addressed to the requester.
var fieldLabels = map[Field]string{
	FieldNama:       "Nama",
	FieldInstansi:   "Instansi / Unit Kerja",
	FieldEmail:      "Email",
	FieldWhatsApp:   "Nomor WhatsApp",
	FieldTopik:      "Jenis Layanan Konsultasi",
	FieldPertanyaan: "Pertanyaan",
	FieldLampiran:   "Dokumen pendukung",
}

var msgMissingEmpty = map[Field]string{
	FieldNama:       "Nama belum diisi — tuliskan nama lengkap Anda.",
	FieldInstansi:   "Instansi / unit kerja belum diisi — tuliskan nama OPD, unit kerja atau desa Anda.",
	FieldEmail:      "Alamat email belum diisi — tuliskan alamat email aktif untuk menerima jawaban.",
	FieldWhatsApp:   "Nomor WhatsApp belum diisi — tuliskan nomor aktif, mis. 0812-3456-7890.",
	FieldTopik:      "Jenis layanan konsultasi belum dipilih — pilih salah satu topik pada formulir.",
	FieldPertanyaan: "Pertanyaan belum diisi — uraikan pertanyaan atau permasalahan Anda.",
	FieldLampiran:   "Dokumen pendukung belum dilampirkan — unggah berkas atau tautan dokumen yang dikonsultasikan (mis. LHP dan data tindak lanjutnya).",
}

const (
	msgMissingGeneric   = "%s belum diisi — lengkapi isian tersebut."
	msgMissingEmailBad  = "Alamat email tidak valid — tuliskan satu alamat email lengkap, mis. nama@instansi.go.id."
	msgMissingPhoneBad  = "Nomor WhatsApp tidak valid — tuliskan nomor lengkap, mis. 0812-3456-7890 atau +62 812-3456-7890."
	msgTopicUnknown     = "Jenis layanan %q tidak dikenal — pilih salah satu: %s."
	msgComplete         = "Lengkap"
	msgIncompletePrefix = "Kurang:"
)

const (
	msgStatusUnknown = "status %q tidak dikenal — pilih salah satu: %s"
	msgTicketBad     = "nomor tiket %q tidak sah — formatnya KOPI-TTTT-NNNN, mis. KOPI-2026-0042"
)

// Assignment reasons, for the admin.
const (
	msgAssignNoOne    = "Belum ada konsuler untuk topik %q di tab Konsuler — tambahkan konsuler dengan topik ini atau tugaskan secara manual."
	msgAssignNoneFree = "Tidak ada konsuler yang dapat ditugaskan untuk topik %q (%s) — tugaskan secara manual atau perbarui tab Konsuler."
	msgAssignInactive = "%d tidak aktif"
	msgAssignOnLeave  = "%d sedang cuti"
	msgAssignFull     = "%d sudah mencapai batas kasus terbuka"
)

const (
	msgQuestionNotFound  = "intake.questions.%s: pertanyaan %q tidak ada di formulir — salin judulnya persis dari formulir"
	msgQuestionAmbiguous = "intake.questions.%s: pertanyaan %q ada lebih dari sekali di formulir — ubah judul salah satunya agar unik"
	msgQuestionAvailable = "Pertanyaan yang ada di formulir: %s"
)

// Answer-flow notes written into the row for the admin.
const (
	msgAnswerEmpty   = "Status %s tetapi kolom Jawaban kosong: jawaban belum dapat dikirim."
	msgAnswerChanged = "Jawaban diubah setelah terkirim dan TIDAK dikirim ulang otomatis. Bila perubahan perlu dikirim, ubah status menjadi Kirim Ulang."
	msgPhoneInvalid  = "Nomor WhatsApp tidak valid; tautan WhatsApp tidak dibuat (nomor tidak ditebak)."
	msgPhoneNotWA    = "Nomor WhatsApp bukan nomor seluler; tautan WhatsApp tidak dibuat."

	msgFlagUnassigned      = "Belum ditugaskan: "
	msgFlagDeliveryFailed  = "Email %s tidak terkirim: %s"
	msgFlagDraftDeleted    = "Email %s tidak terkirim: drafnya dihapus dari Gmail sebelum dikirim. %s"
	msgDraftDeletedResend  = "Ubah status menjadi Kirim Ulang untuk mengirimnya lagi."
	msgDraftDeletedManual  = "Kirim ulang secara manual bila masih perlu."
	msgFlagEditIgnored     = "Pemohon mengubah jawaban formulir pada %s; perubahan tidak diterapkan karena kasus sudah berstatus %s."
	msgFlagDecisionUnknown = "Keputusan %q tidak dikenal di langkah %d — pilih salah satu dari daftar pilihan."
	msgFlagNoteMissing     = "Keputusan %s di langkah %d perlu catatan koreksi — isi kolom catatan lalu pilih lagi."
)

// Why a pending reminder was withdrawn (DeliveryWithdrawn), for the
// admin reading the state tab.
const (
	msgStaleNotWaiting     = "ditarik: kasus tidak lagi menunggu jawaban konsuler"
	msgStaleDeadlinePassed = "ditarik: tenggat sudah lewat; pemberitahuan lewat tenggat menggantikannya"
	msgStaleStepLeft       = "ditarik: kasus sudah meninggalkan langkah yang diingatkan"
	msgStaleSurveyed       = "ditarik: pemohon sudah mengisi survei"
	msgStaleCaseGone       = "ditarik: baris kasus tidak ada lagi"
	msgStaleTurnedOff      = "ditarik: pengingat jenis ini dimatikan di konfigurasi"
	msgStaleEdited         = "ditarik: pemohon sudah mengubah isian formulir"
	msgStaleNotIncomplete  = "ditarik: kasus tidak lagi berstatus Kurang Lengkap"
)

// WhatsApp texts prefilled in the admin's chat with the requester.
const (
	msgWAGreeting   = "Yth. %s, kami Admin KOPI menghubungi Anda terkait konsultasi nomor tiket %s."
	msgWAAnswer     = "Yth. %s, berikut jawaban atas konsultasi nomor tiket %s:\n\n%s"
	msgWAAnswerLong = "Yth. %s, jawaban atas konsultasi nomor tiket %s telah kami kirim melalui email. Mohon periksa kotak masuk Anda."
)

// SOP definition problems: what is wrong — how to fix it.
const (
	msgSOPInvalid          = "definisi SOP %s tidak sah (%d masalah):"
	msgSOPEmpty            = "berkas SOP kosong — isi id, name, tab, roles dan steps (lihat sop/bimtek.yaml)"
	msgSOPID               = "id %q tidak sah — tulis satu kata huruf kecil, angka atau tanda hubung, mis. bimtek"
	msgSOPNameHow          = "isi dengan nama SOP seperti pada dokumennya"
	msgSOPTabHow           = "isi dengan judul tab spreadsheet untuk kasus SOP ini, mis. Bimtek"
	msgSOPRolesHow         = "isi dengan daftar peran pelaksana SOP, mis. [Sekretaris, Inspektur]"
	msgSOPRoleDup          = "peran %q ditulis lebih dari sekali — hapus salah satunya"
	msgSOPRoleUnknown      = "peran %q tidak ada di daftar roles — perbaiki ejaannya atau tambahkan ke roles (%s)"
	msgSOPActorHow         = "isi dengan peran pelaksana langkah ini, salah satu dari roles"
	msgSOPNoSteps          = "langkah SOP kosong — isi minimal satu langkah di steps"
	msgSOPStandardMissing  = "langkah %d tidak punya waktu baku — isi standard (mis. 30m, 1d) atau standard_choices (mis. [1d, 3d, 5d])"
	msgSOPStandardBoth     = "isi standard atau standard_choices, jangan keduanya — hapus salah satunya"
	msgSOPDoneBy           = "done_by %q tidak dikenal — gunakan keputusan, formulir atau email"
	msgSOPNextAndDecisions = "langkah dengan decisions tidak memakai next — tulis tujuan di setiap keputusan"
	msgSOPLabelHow         = "isi dengan pilihan keputusan yang dipilih staf, mis. Setuju atau Koreksi"
	msgSOPLabelDup         = "keputusan %q ditulis lebih dari sekali — setiap pilihan harus berbeda"
	msgSOPNextHow          = "isi dengan nomor langkah tujuan atau selesai"
	msgSOPNextBad          = "tujuan %q bukan langkah — tulis nomor langkah 1 sampai %d atau selesai"
	msgSOPNextSelf         = "langkah %d menunjuk dirinya sendiri — tulis langkah berikutnya atau selesai"
	msgSOPUnreachable      = "langkah %d tidak pernah dicapai dari langkah 1 — periksa next dan decisions yang menuju ke sini, atau hapus langkahnya"
	msgSOPNoWayOut         = "dari langkah %d kasus tidak pernah selesai (putaran tanpa jalan keluar) — beri salah satu keputusan tujuan yang menuju selesai"
)

// Who acted in a KOPI transition, as the history (tab Riwayat) names
// them: the Sheets API does not say who edited a cell, so the actor is
// the step's role, or the consultant the case is assigned to.
const (
	actorRequester      = "Pengguna Layanan (formulir)"
	actorKopiCheck      = "kopi (pemeriksaan kelengkapan dan penugasan otomatis)"
	actorAdmin          = "Admin KOPI (status di Sheet)"
	actorKopiNoApproval = "kopi (persetujuan admin tidak diwajibkan)"
	actorKopiSent       = "kopi (email jawaban terkirim)"
	actorSecretariat    = "Sekretariat (status Selesai)"
)

// Notes of KOPI transitions in the history.
const (
	msgKOPIReturned   = "Status dikembalikan ke Ditugaskan: jawaban dikembalikan kepada Konsuler untuk diperbaiki."
	msgKOPINoApproval = "Jawaban dikirim tanpa persetujuan (answers.approval_required: false)."
)
