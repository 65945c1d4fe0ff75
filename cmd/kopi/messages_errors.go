package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"regexp"
	"strings"
	"syscall"

	"kopi/google"
	"kopi/rules"
)

// This file is the one place where a failure an operator can meet becomes
// the one Indonesian message they read: what failed, the likely cause and
// the fix. Google's failures are classed by google.FailureOf; the files
// kopi reads by the error the file system returns.

// opError is an operator-facing failure.
type opError struct {
	what   string // what kopi was doing, naming the file or config key
	cause  string // the likely cause
	fix    string // what the operator does next
	detail string // technical tag for a report to the developers; may be ""
	err    error
}

// Error renders the failure as one line: what — cause — fix (detail).
func (e *opError) Error() string {
	s := e.what + ": " + e.cause + checkFixSep + e.fix
	if e.detail != "" {
		s += " (" + msgDetail + e.detail + ")"
	}
	return s
}

// Unwrap returns the underlying error, so callers still branch on it.
func (e *opError) Unwrap() error { return e.err }

// msgDetail introduces the technical detail after a message.
const msgDetail = "rincian teknis: "

// resource is what a Google call was about, taken from its method id.
type resource int

const (
	resOther resource = iota
	resForm
	resSheet
	resGmail
)

func resourceOf(method string) resource {
	switch {
	case strings.HasPrefix(method, "forms."):
		return resForm
	case strings.HasPrefix(method, "sheets."):
		return resSheet
	case strings.HasPrefix(method, "gmail."):
		return resGmail
	}
	return resOther
}

// advice is a cause and its fix.
type advice struct{ cause, fix string }

// googleAdvice is the message of each failure class; format verbs: see
// explainGoogle ({kunci} the config key and id, {akun} the sender account).
var googleAdvice = map[google.Failure]advice{
	google.FailureUnreachable: {
		"tidak bisa menghubungi Google (nama server tidak ditemukan atau sambungan ditolak) — komputer ini tidak tersambung ke internet, atau proksi/firewall menghalangi *.googleapis.com",
		"periksa sambungan internet komputer ini (buka https://www.google.com dari komputer yang sama) dan izinkan *.googleapis.com serta oauth2.googleapis.com di proksi/firewall, lalu ulangi; daemon mencoba lagi sendiri pada jadwal berikutnya",
	},
	google.FailureTLS: {
		"sertifikat HTTPS yang diterima bukan milik Google — biasanya proksi kantor yang memeriksa lalu lintas HTTPS",
		"minta pengelola jaringan mengecualikan *.googleapis.com dari pemeriksaan HTTPS, atau pasang sertifikat akar proksi itu di sistem operasi",
	},
	google.FailureTimeout: {
		"Google tidak menjawab tepat waktu (jaringan lambat atau terputus di tengah jalan)",
		"periksa kestabilan jaringan; kopi mengulang sendiri pada siklus berikutnya tanpa menggandakan baris atau email",
	},
	google.FailureNotFound: {
		"Google tidak menemukan berkas dengan ID ini, atau akun {akun} tidak dapat melihatnya",
		"periksa {kunci} dan pastikan berkasnya dibagikan ke {akun} sebagai editor",
	},
	google.FailurePermission: {
		"akun {akun} tidak punya izin membuka berkas ini",
		"bagikan berkasnya ({kunci}) ke {akun} sebagai editor, lalu jalankan `kopi check`",
	},
	google.FailureScope: {
		"token kopi tidak memuat izin (cakupan OAuth) yang dibutuhkan — ada kotak izin yang tidak dicentang saat `kopi auth`, atau delegasi akun layanan kurang cakupan",
		"jalankan `kopi auth` lagi dan centang semua kotak izin; untuk akun layanan, daftarkan kelima cakupan di Admin console (lihat docs/operator-auth.md), lalu `kopi check`",
	},
	google.FailureUnauthorized: {
		"Google menolak token akses kopi (kedaluwarsa, dicabut, atau berkas kredensial diganti)",
		"jalankan `kopi auth` lagi, lalu `kopi check`",
	},
	google.FailureRateLimited: {
		"kuota API Google habis untuk sementara (terlalu banyak panggilan, atau batas kirim Gmail harian tercapai)",
		"tunggu: kopi mengulang sendiri dan menunda email yang tersisa; bila sering terjadi, perlambat schedule.cycle_office atau lihat kuota di Google Cloud Console (API & Layanan → Kuota)",
	},
	google.FailureServer: {
		"layanan Google sedang bermasalah (galat 5xx di pihak Google)",
		"tidak ada yang perlu diubah di kopi: tunggu beberapa menit, kopi mengulang sendiri tanpa menggandakan baris atau email; status layanan Google: https://www.google.com/appsstatus",
	},
	google.FailureBadRequest: {
		"Google menolak isi permintaan (ID berbentuk salah, atau formulir/spreadsheet diubah sehingga tidak cocok lagi dengan konfigurasi)",
		"jalankan `kopi check` untuk menemukan bagian yang tidak cocok; bila semua lulus dan galat berulang, laporkan ke pengembang kopi beserta rincian teknis di bawah",
	},
	google.FailureReauth: {chkReauth, chkReauthFix},
	google.FailureCanceled: {
		"kopi dihentikan ketika panggilan ke Google sedang berjalan",
		"tidak perlu tindakan: jalankan kopi lagi; pekerjaan yang belum selesai dilanjutkan tanpa digandakan",
	},
	google.FailureOther: {
		"galat yang tidak dikenali kopi",
		"jalankan `kopi check`; bila pemeriksaan tidak menjelaskannya, laporkan ke pengembang kopi beserta rincian teknis di bawah",
	},
}

// Advice that depends on which file the call was about.
var (
	formNotFound = advice{
		"Google tidak menemukan formulir dengan ID ini, atau akun {akun} tidak dapat melihatnya",
		"salin ID dari alamat edit formulir (…/forms/d/ID/edit — bukan tautan publik …/forms/d/e/…/viewform) ke {kunci}, dan bagikan formulir ke {akun} sebagai editor (Formulir → ⋮ → Tambahkan kolaborator)",
	}
	formPermission = advice{
		"akun {akun} tidak punya izin membuka formulir ini",
		"bagikan formulir ({kunci}) ke {akun} sebagai editor (Formulir → ⋮ → Tambahkan kolaborator), lalu jalankan `kopi check`",
	}
	sheetNotFound = advice{
		"Google tidak menemukan spreadsheet dengan ID ini, atau akun {akun} tidak dapat melihatnya",
		"salin ID dari alamat spreadsheet (…/spreadsheets/d/ID/edit) ke {kunci} dan bagikan ke {akun} sebagai editor; atau kosongkan tracker.spreadsheet_id dan jalankan `kopi init` untuk membuat yang baru",
	}
	sheetPermission = advice{
		"akun {akun} tidak punya izin menyunting spreadsheet ini",
		"bagikan spreadsheet ({kunci}) ke {akun} sebagai editor (Bagikan → tambahkan alamat → Editor), lalu jalankan `kopi check`",
	}
	gmailPermission = advice{
		"akun {akun} tidak dapat memakai Gmail (Gmail dinonaktifkan untuk pengguna ini, atau token milik akun lain)",
		"aktifkan Gmail untuk {akun} di Admin console Google Workspace, atau jalankan `kopi auth` lagi dan masuk sebagai {akun}",
	}
	// fakeUnreachable replaces the unreachable advice when kopi talks
	// to a fake Workspace (google.endpoint set).
	fakeUnreachable = advice{
		"Workspace tiruan di {alamat} tidak menjawab (belum dijalankan, sudah dihentikan, atau port lain)",
		"jalankan `kopi fake-workspace --addr {hostport} --account {akun}` di terminal lain, atau samakan google.endpoint dengan alamat yang dicetaknya",
	}
)

// adviceFor returns the advice of failure f on resource r.
func adviceFor(f google.Failure, r resource, fake bool) advice {
	switch {
	case f == google.FailureUnreachable && fake:
		return fakeUnreachable
	case f == google.FailureNotFound && r == resForm:
		return formNotFound
	case f == google.FailurePermission && r == resForm:
		return formPermission
	case f == google.FailureNotFound && r == resSheet:
		return sheetNotFound
	case f == google.FailurePermission && r == resSheet:
		return sheetPermission
	case f == google.FailurePermission && r == resGmail:
		return gmailPermission
	}
	return googleAdvice[f]
}

// explainGoogle turns a failed call to Google into the operator's
// message: what was being done, the class's cause and fix, and a
// technical tag (method, HTTP status) with no message text, which could
// quote personal data. A nil error stays nil; an error that already
// explains itself is returned as it is.
func explainGoogle(what string, err error, cfg *rules.Config) error {
	if err == nil {
		return nil
	}
	var oe *opError
	if errors.As(err, &oe) {
		return err
	}
	var me *rules.MappingError
	if errors.As(err, &me) {
		// The form and intake.questions no longer match (a question
		// retitled or deleted on the form): the error lists each title
		// and the form's own.
		return &opError{what: what, cause: msgMappingCause + "\n" + me.Error(), fix: msgMappingFix, err: err}
	}
	f := google.FailureOf(err)
	method := google.FailedMethod(err)
	r := resourceOf(method)
	key := "berkasnya"
	sender, endpoint := "akun layanan", ""
	if cfg != nil {
		switch r {
		case resForm:
			key = fmt.Sprintf("%s %q", keyFormID, cfg.Intake.FormID)
		case resSheet:
			key = fmt.Sprintf("%s %q", keySpreadsheetID, cfg.Tracker.SpreadsheetID)
		case resGmail:
			key = "mail.sender.address"
		}
		if cfg.Mail.Sender.Address != "" {
			sender = cfg.Mail.Sender.Address
		}
		endpoint = cfg.Google.Endpoint
	}
	a := adviceFor(f, r, endpoint != "")
	addr := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSuffix(endpoint, "/"), "http://"), "https://")
	fill := strings.NewReplacer("{kunci}", key, "{akun}", sender, "{alamat}", endpoint, "{hostport}", addr)
	return &opError{
		what:   what,
		cause:  fill.Replace(a.cause),
		fix:    fill.Replace(a.fix),
		detail: technicalDetail(method, err, f),
		err:    err,
	}
}

// technicalDetail names the method and the HTTP status; for an error kopi
// does not recognise it keeps the error text, with addresses removed.
func technicalDetail(method string, err error, f google.Failure) string {
	var parts []string
	if method != "" {
		parts = append(parts, method)
	}
	if c := google.StatusCode(err); c != 0 {
		parts = append(parts, fmt.Sprintf("HTTP %d", c))
		if r := google.Reason(err); r != "" {
			parts = append(parts, r)
		}
	}
	if f == google.FailureOther {
		parts = append(parts, redactText(err.Error()))
	}
	return strings.Join(parts, ", ")
}

// Files kopi reads.
const (
	msgConfigMissing      = "berkas konfigurasi %s tidak ada"
	msgConfigMissingCause = "kopi belum disiapkan di folder ini, atau --config menunjuk berkas lain"
	msgConfigMissingFix   = "salin contohnya: cp kopi.example.yaml %[1]s (Windows: copy kopi.example.yaml %[1]s), isi bagian bertanda WAJIB, lalu jalankan `kopi check --config %[1]s`; untuk mencoba tanpa akun Google jalankan `kopi demo`"
	msgFileUnreadable     = "berkas %s tidak dapat dibaca"
	msgFileUnreadCause    = "izin berkas tidak mengizinkan pengguna yang menjalankan kopi membacanya"
	msgFileUnreadFix      = "berikan izin baca kepada pengguna yang menjalankan kopi (Linux: chmod/chown; Windows: Properti → Keamanan)"
	msgHolidayMissing     = "berkas libur %s (holidays.files) tidak ada"
	msgHolidayMissCause   = "tabel hari libur tahun itu belum dibuat, atau namanya/foldernya berbeda (jalur relatif dibaca dari folder berkas konfigurasi)"
	msgHolidayMissFix     = "buat templatnya dengan `kopi holidays template %[1]s --out %[2]s`, cocokkan tanggal hari libur bergerak dengan SKB 3 Menteri, lalu jalankan `kopi check`; atau hapus nama berkas itu dari holidays.files"
	msgHolidayBad         = "berkas libur %s (holidays.files) tidak sah"
	msgHolidayBadFix      = "perbaiki baris yang disebut (format: tanggal,hari,jenis,keterangan — contoh di `kopi holidays template`), lalu jalankan `kopi check`"
	msgCredsMissing       = "berkas kredensial OAuth %s (google.credentials_file) tidak ada"
	msgCredsMissingCause  = "klien OAuth kantor belum diunduh dari Google Cloud Console, atau disimpan dengan nama lain"
	msgCredsMissingFix    = "unduh JSON klien OAuth jenis \"Desktop app\" (Google Cloud Console → API & Layanan → Kredensial; langkah lengkap di docs/operator-auth.md) dan simpan sebagai %s; untuk mencoba tanpa akun Google isi google.endpoint dengan alamat `kopi fake-workspace`"
	msgCredsBadWhat       = "berkas kredensial OAuth %s (google.credentials_file) tidak sah"
	msgCredsBadCause      = "berkas itu bukan klien OAuth jenis \"Desktop app\" (installed) atau kunci akun layanan yang sah"
	msgCredsBadFix        = "unduh ulang dari Google Cloud Console (API & Layanan → Kredensial) dan simpan di google.credentials_file"
	msgTokenMissingWhat   = "berkas token OAuth %s tidak ada"
	msgTokenMissingCause  = "kopi belum punya izin ke akun Google layanan"
	msgTokenMissingFix    = "jalankan `kopi auth` sekali dan masuk dengan akun Google layanan; untuk mencoba tanpa akun Google jalankan `kopi demo`, atau isi google.endpoint dengan alamat Workspace tiruan (`kopi fake-workspace`)"
	msgTokenPermWhat      = "berkas token OAuth %s dapat dibaca pengguna lain (mode %04o)"
	msgTokenPermCause     = "token ini adalah kunci akun Google layanan; kopi menolak memakainya selama orang lain dapat membacanya"
	msgTokenPermFix       = "batasi aksesnya: chmod 600 %s (Windows: Properti → Keamanan, hanya pengguna yang menjalankan kopi)"
	msgTokenBadWhat       = "berkas token OAuth %s tidak berisi token yang sah"
	msgTokenBadCause      = "isinya bukan JSON dengan access_token/refresh_token (rusak, terpotong, atau berkas lain)"
	msgTokenBadFix        = "hapus berkas itu lalu jalankan `kopi auth` lagi"
	msgTokenReadWhat      = "berkas token OAuth %s tidak dapat dibaca"
)

// fileError explains a failure to read a file the operator provides:
// missing (with the given what, cause and fix) or unreadable. It returns
// nil when err is neither.
func fileError(path string, err error, missingWhat, missingCause, missingFix string) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &opError{what: fmt.Sprintf(missingWhat, path), cause: missingCause, fix: missingFix, err: err}
	case errors.Is(err, fs.ErrPermission):
		return &opError{what: fmt.Sprintf(msgFileUnreadable, path), cause: msgFileUnreadCause, fix: msgFileUnreadFix, err: err}
	}
	return nil
}

// yearIn finds a four-digit year in a file name ("libur-2027.csv"), or
// returns "TAHUN".
func yearIn(name string) string {
	if m := yearPattern.FindString(name); m != "" {
		return m
	}
	return "TAHUN"
}

var yearPattern = regexp.MustCompile(`20[0-9]{2}`)

// explain is explainGoogle for any error of a step that talks to Google:
// an error kopi does not recognise still gets the advice to run `kopi
// check` and the technical detail for a report.
func explain(what string, err error, cfg *rules.Config) error {
	return explainGoogle(what, err, cfg)
}

// A form whose questions no longer match intake.questions.
const (
	msgMappingCause = "judul pertanyaan di formulir tidak cocok lagi dengan intake.questions di konfigurasi (pertanyaan diganti judulnya atau dihapus di formulir)"
	msgMappingFix   = "salin judul pertanyaan dari formulir ke intake.questions (atau kembalikan judulnya di formulir), lalu jalankan `kopi check`"
)

// Ports kopi listens on.
const (
	msgPortBusyCause = "port %s sudah dipakai program lain — sering kali kopi atau Workspace tiruan dari percobaan sebelumnya yang masih berjalan"
	msgPortBusyFix   = "hentikan proses itu (Linux/macOS: lsof -i :%[1]s atau ss -ltnp, lalu kill PID; Windows: netstat -ano | findstr :%[1]s, lalu taskkill /PID PID), atau pilih alamat lain"
)

// listenError explains a failure to open a listening port; a port in use
// gets its cause and fix.
func listenError(what, addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		_, port, _ := net.SplitHostPort(addr)
		return &opError{what: what, cause: fmt.Sprintf(msgPortBusyCause, addr), fix: fmt.Sprintf(msgPortBusyFix, port), err: err}
	}
	return fmt.Errorf("%s: %w", what, err)
}
