package main

// This file holds the operator-facing messages of the kopi command, in
// Bahasa Indonesia (STYLE practice 15). Format verbs are documented where
// they are not obvious.

// Configuration and credentials.
const (
	msgReadConfig    = "baca berkas konfigurasi %s: %w"
	msgConfigInvalid = "berkas konfigurasi %s: %w"
	msgReadHolidays  = "baca berkas libur %s (holidays.files): %w"
	msgCalendar      = "susun kalender kerja dari konfigurasi: %w"
	msgTokenRead     = "baca berkas token OAuth %s: %w"
	msgCredsRead     = "baca berkas kredensial OAuth %s (google.credentials_file): %w"
	msgLogLevel      = "log.level %q tidak dikenal — gunakan debug, info, warn atau error"
	msgLogFormat     = "log.format %q tidak dikenal — gunakan text atau json"
	msgTemplates     = "muat templat email: %w"
	msgConnect       = "hubungkan ke Google Workspace"
	msgPrepEngine    = "siapkan mesin siklus: %w"
	msgCycle         = "jalankan siklus"
)

// kopi once.
const (
	// msgCycleSummary: responses, new cases, updated rows, incomplete,
	// unassigned, emails sent, deferred, failed, duration.
	msgCycleSummary  = "%d tanggapan dibaca, %d kasus baru, %d baris diperbarui, %d kurang lengkap, %d tanpa konsuler; email: %d terkirim, %d ditunda, %d gagal"
	msgSummaryEdits  = "; %d suntingan dicatat"
	msgSummaryDel    = "; %d baris terhapus staf"
	msgSummaryArch   = "; %d kasus lama dipindah ke arsip"
	msgSummaryProbs  = "; %d catatan untuk admin"
	msgOnceDone      = "Siklus selesai: %s (%s dtk)."
	msgProblemsTitle = "Catatan untuk admin:"
)

// kopi init.
const (
	msgInitConfigUpdate = "tulis ID baru ke berkas konfigurasi %s: %w"
	msgSheetCreated     = "Spreadsheet pelacakan dibuat: %s"
	msgSheetAdopted     = "Memakai spreadsheet pelacakan yang ada: %s"
	msgSheetReady       = "Spreadsheet sudah siap; tidak ada yang diubah."
	msgSheetChanged     = "Perubahan pada spreadsheet:"
	msgSheetLink        = "Tautan spreadsheet: %s"
	msgSOPAddToConfig   = "SOP %s: tab-nya dibuat sekarang; agar daemon menjalankannya, tambahkan ke daftar sops di berkas konfigurasi"
	msgFormCreated      = "Formulir asupan dibuat: %s"
	msgFormLink         = "Tautan publik formulir: %s"
	msgFormExists       = "Formulir asupan sudah ada (intake.form_id = %s); tidak dibuat lagi."
	msgFormMissingHint  = "intake.form_id masih kosong: isi dengan ID Google Form konsultasi, atau jalankan `kopi init --create-intake-form`."
	msgConfigWritten    = "ID baru ditulis ke %s (%s)."
	msgCreateSheet      = "buat spreadsheet pelacakan"
	msgEnsureSheet      = "siapkan tab spreadsheet %s"
	msgCreateForm       = "buat formulir asupan"
	msgNewServices      = "siapkan klien Google API"
	msgInitInvalid      = "konfigurasi tidak sah setelah ID diisi: %w"
)

// kopi demo.
const (
	msgDemoTitle   = "Demo KOPI Terintegrasi — Workspace tiruan di dalam proses ini (tanpa akun Google, tanpa jaringan, waktu disimulasikan)"
	msgDemoFake    = "jalankan Workspace tiruan: %w"
	msgDemoConfig  = "susun konfigurasi demo: %w"
	msgDemoInit    = "1. kopi init --create-intake-form"
	msgDemoRoster  = "Admin mengganti nama contoh di tab Konsuler (jabatan) dengan nama para konsuler."
	msgDemoDay     = "2. Senin–Selasa, 2–3 Maret 2026 (Ramadan: jam kerja 08.00–15.00 WIB), satu siklus tiap 10 menit"
	msgDemoMonday  = "Senin, 2 Maret 2026: pemohon mengisi formulir; siang hari konsuler menjawab di Sheet dan admin menyetujui"
	msgDemoTuesday = "Selasa, 3 Maret 2026 pagi: ringkasan harian saat kantor buka, tenggat kasus Senin jatuh"
	// msgDemoStaffAnswer: who, ticket, lines, status.
	msgDemoStaffAnswer = "%s %s menulis jawaban (%d baris) di kolom Jawaban, Status → %s"
	// msgDemoStaffStatus: who, ticket, status.
	msgDemoStaffStatus = "%s %s: Status → %s"
	msgDemoStaffWrite  = "sunting baris %s di Sheet tiruan: %w"
	msgDemoNoRow       = "tiket %s tidak ada di tab Konsultasi"
	msgDemoNoColumn    = "kolom %q tidak ada di tab Konsultasi"
	msgDemoIdle        = "%d siklus lain tanpa kegiatan, masing-masing paling banyak %d panggilan API"
	msgDemoSubmitted   = "formulir diisi"
	msgDemoEdited      = "formulir disunting"
	msgDemoSubmit      = "kirim tanggapan formulir ke Workspace tiruan: %w"
	msgDemoCycle       = "siklus pukul %s: %w"
	msgDemoRead        = "baca spreadsheet pelacakan: %w"
	msgDemoNoHeader    = "tab Konsultasi kosong"
	msgDemoTracker     = "3. Tab Konsultasi di spreadsheet pelacakan"
	msgDemoEmails      = "4. Email terkirim (%d)"
	msgDemoChecks      = "5. Pemeriksaan"
	msgDemoCalls       = "6. Panggilan API ke Workspace tiruan (%d, termasuk kopi init)"
	// msgDemoCheckRows: distinct responses, rows.
	msgDemoCheckRows    = "%d tanggapan → %d baris, masing-masing tepat satu"
	msgDemoCheckMail    = "tidak ada email yang terkirim dua kali"
	msgDemoCheckLong    = "teks 60.000 karakter tersimpan utuh"
	msgDemoCheckFormula = "pertanyaan berawalan =IMPORTDATA(…) tersimpan sebagai teks, bukan rumus"
	// msgDemoCheckAnswers: approved answers.
	msgDemoCheckAnswers = "%d jawaban yang disetujui terkirim tepat sekali ke pemohon, dalam utas Gmail tanda terimanya, baris berstatus Terkirim"
	// msgDemoCheckHeld: answers not approved.
	msgDemoCheckHeld   = "%d jawaban yang belum disetujui tidak dikirim (baris tetap Dijawab)"
	msgDemoCheckDigest = "ringkasan harian terkirim tepat sekali tiap hari kerja (Senin dan Selasa)"
	// msgDemoCheckOverdue: overdue notices sent.
	msgDemoCheckOverdue = "%d pemberitahuan lewat tenggat terkirim; tidak ada pengingat untuk kasus yang sudah dijawab"
	msgDemoFailed       = "demo menemukan masalah: %s"
	// The demo's web view (kopi demo --web, kopi fake-workspace --ui).
	msgDemoWebURL        = "Tampilan web Workspace tiruan: %s (Formulir, Sheet, Gmail; tekan Ctrl+C untuk berhenti)"
	msgDemoWebClock      = "Majukan jam simulasi dari halaman: satu siklus, satu jam, atau ke pembukaan kantor berikutnya."
	msgDemoFreshNeedsWeb = "--fresh hanya berlaku bersama --web"
	msgWebListen         = "buka tampilan web di %s: %w"
	msgWebLoopback       = "alamat tampilan web %q harus loopback (127.0.0.1, ::1 atau localhost): tampilan ini tanpa kata sandi"
	msgWebNoOpening      = "tidak ada hari kerja dalam 18 bulan ke depan menurut kalender kantor"
	// msgWebMail: cycle time, recipients, subject.
	msgWebMail = "%s surel terkirim ke %s: %s"
	// msgWebIdle: idle cycles.
	msgWebIdle = "%d siklus tanpa kegiatan"
)

// kopi service.
const (
	msgServiceUsage        = "Penggunaan: kopi service %s [--config BERKAS] — bantuan: kopi help service"
	msgServiceActions      = "Tindakan:"
	msgServiceConfigFlag   = "berkas konfigurasi yang dipakai layanan"
	msgServiceUserFlag     = "hanya untuk install, Linux: akun yang menjalankan layanan (disarankan akun khusus, mis. kopi)"
	msgServiceHelpMore     = "Bantuan satu tindakan: kopi service <tindakan> --help"
	msgServiceConfigPath   = "tentukan jalur lengkap berkas konfigurasi %s: %w"
	msgServiceExe          = "tentukan lokasi program kopi: %w"
	msgServiceSystem       = "pengelola layanan sistem operasi tidak dikenali: %w"
	msgServiceAction       = "layanan kopi %s gagal (jalankan sebagai Administrator/root?): %w"
	msgServiceInstalled    = "Layanan \"kopi\" terpasang: %s %s\nJalankan: kopi service start"
	msgServiceDone         = "Layanan \"kopi\": %s selesai."
	msgServiceRunning      = "Layanan \"kopi\" sedang berjalan."
	msgServiceStopped      = "Layanan \"kopi\" terpasang tetapi berhenti — jalankan: kopi service start"
	msgServiceUnknown      = "Status layanan \"kopi\" tidak diketahui."
	msgServiceNotInstalled = "Layanan \"kopi\" belum terpasang — pasang dengan: kopi service install --config <berkas>"
)

// kopi run.
const (
	msgLockRefused = "kopi tidak dijalankan: %w"
	msgLockCheck   = "periksa detak kopi lain di spreadsheet"
	msgLockClaim   = "klaim spreadsheet pelacakan"
	msgLockRenew   = "klaim spreadsheet tidak dapat diperbarui; siklus ditahan dan dicoba lagi"
	msgBeatFailed  = "detak gagal dicatat; dicoba lagi sebentar lagi"
	msgHTTPListen  = "buka pendengar HTTP kesehatan/metrik di %s (http.listen)"
	msgRunStarted  = "kopi berjalan"
	msgRunStopped  = "kopi berhenti"
	msgDigestCycle = "awal jam kerja: siklus digest harian"
	msgHostUnknown = "tak-dikenal"
	msgCycleCut    = "siklus dihentikan karena batas waktu berhenti habis; sisanya dikerjakan saat kopi berjalan lagi"
)

// Help (help.go).
const (
	msgHelpUsage   = "Penggunaan: %s"
	msgHelpFlags   = "Opsi:"
	msgHelpDefault = " (bawaan: %s)"
	msgHelpHelp    = "tampilkan bantuan ini"
	msgHelpBadFlag = "opsi tidak dapat dibaca"
)

// kopi holidays.
const (
	msgHolidaysUsage       = "Penggunaan: kopi holidays template TAHUN [--out BERKAS] [--force] — bantuan: kopi help holidays"
	msgHolidaysYear        = "tahun %q tidak sah — tulis empat angka, mis. kopi holidays template 2027"
	msgHolidaysExists      = "berkas %s sudah ada"
	msgHolidaysExistsCause = "kopi tidak menimpa tabel libur yang mungkin sudah disunting"
	msgHolidaysExistsFix   = "pilih nama lain dengan --out, atau timpa dengan `kopi holidays template %d --force`"
	msgHolidaysWrite       = "tulis templat hari libur %s: %w"
	// msgHolidaysWritten: path, exact holidays, estimates, confirm prefix, path.
	msgHolidaysWritten = "Templat ditulis ke %s: %d hari libur bertanggal pasti, %d perkiraan (baris berawalan %q) yang harus dicocokkan dengan SKB 3 Menteri lalu diaktifkan, dan cuti bersama yang harus ditambahkan.\nLalu tambahkan %s ke holidays.files di kopi.yaml dan jalankan `kopi check`."
)

// kopi fake-workspace. The ready line is what scripts wait for.
const (
	msgFakeReady  = "Workspace tiruan siap di %s (hentikan dengan Ctrl+C atau kill)"
	msgFakeListen = "jalankan Workspace tiruan di %s"
)

// kopi demo: how to read the cycle lines.
var msgDemoLegend = []string{
	"Cara membaca: tiap baris siklus menyebut jam, apa yang dikerjakan kopi, dan jumlah panggilan API-nya;",
	"baris di bawahnya menyebut jenis email yang terkirim dan baris Sheet yang diubah (tiket dan kolomnya).",
	"\"Baris ditandai Terkirim\" muncul satu siklus setelah email jawaban: kopi mencatat pengiriman hanya",
	"setelah Gmail memastikannya. Ringkasan harian untuk admin terkirim pada siklus pertama tiap hari kerja.",
}

const (
	msgDemoEmailKinds  = "email: %s"
	msgDemoRowsChanged = "baris diubah: %s"
	msgDemoFailedWhy   = "email gagal = Gmail menolak alamatnya untuk selamanya (di sini alamat pemohon yang tidak sah); kopi tidak mencoba lagi dan mencatatnya di baris kasus"
	msgDemoKindOther   = "lainnya"
)

// demoEmailKinds names an email's kind by a marker in its subject.
var demoEmailKinds = []struct{ marker, kind string }{
	{"Re: [", "jawaban ke pemohon"},
	{"Tanda terima", "tanda terima"},
	{"Penugasan", "penugasan ke konsuler"},
	{"Ringkasan harian", "ringkasan harian ke admin"},
	{"belum lengkap", "pemberitahuan kurang lengkap"},
	{"Pengingat", "pengingat tenggat"},
	{"Lewat tenggat", "pemberitahuan lewat tenggat"},
}
