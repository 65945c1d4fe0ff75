package web

// Everything the view says to people, in Indonesian, in one place. Page
// texts live in the templates under assets/.
const (
	msgStepCycle         = "Satu siklus"
	msgStepHour          = "Satu jam"
	msgStepOpening       = "Ke pembukaan kantor berikutnya"
	msgCrossSite         = "Permintaan dari situs lain ditolak."
	msgRenderFailed      = "Gagal menyusun halaman: "
	msgNoClock           = "Jam simulasi tidak tersedia di sini: jalankan `kopi demo --web`."
	msgUnknownStep       = "Langkah jam %q tidak dikenal: pilih siklus, jam atau buka."
	msgStepFailed        = "Gagal: "
	msgNoChange          = "tidak ada perubahan"
	msgFormSent          = "Jawaban Anda sudah terkirim. Terima kasih! Formulir kosong di bawah siap untuk jawaban berikutnya."
	msgFormUnreadable    = "Isian formulir tidak terbaca: "
	msgNoForm            = "Formulir %s tidak ada di Workspace tiruan."
	msgFormRefused       = "Jawaban ditolak oleh Formulir: "
	msgFormRefusedFix    = " Perbaiki isian lalu kirim lagi."
	msgUntitledForm      = "(formulir tanpa judul)"
	msgNoSpreadsheet     = "spreadsheet %s tidak ada di Workspace tiruan"
	msgNoTab             = "tab %q tidak ada di spreadsheet ini"
	msgCellUnreadable    = "Sel tidak terbaca: "
	msgPickCell          = "Pilih sel dulu: klik sel di tabel, lalu ketik nilainya."
	msgMailboxUnreadable = "Kotak surat tidak terbaca: "
	msgNoSubject         = "(tanpa subjek)"
	msgOfficeAccount     = " (akun kantor)"
	msgChartNoSpec       = "Bagan tanpa spesifikasi."
	msgChartKindNotDrawn = "Jenis bagan %s tidak digambar di tampilan ini; datanya di bawah."
	msgChartNotDrawn     = "Jenis bagan ini tidak digambar di tampilan ini."
	msgSeries            = "Seri %d"
	// msgCellSaved: the cell's A1.
	msgCellSaved = "Sel %s tersimpan."
	// msgCellNotSaved: the cell's A1, the fake's reason.
	msgCellNotSaved = "Sel %s tidak tersimpan: %s"
	msgNamedRange   = "rentang bernama "
	msgWholeTab     = "seluruh tab "
	msgColumns      = "kolom %s:%s"
	msgProtected    = "dilindungi"
	msgWarningOnly  = " (peringatan saja)"
)
