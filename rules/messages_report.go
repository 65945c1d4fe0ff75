package rules

// Messages of the survey and the report, for people (Indonesian).
const (
	msgReportPeriodBad     = "periode laporan %q tidak sah — gunakan TTTT-BB untuk satu bulan (mis. 2026-11) atau TTTT untuk satu tahun (mis. 2026)"
	msgReportStepLate      = "Langkah %d (%s): %d dari %d kasus melewati standar waktu %s."
	msgReportSampleShort   = "Responden survei %d orang, di bawah sampel minimum %d untuk %d pengguna layanan (tabel Krejcie–Morgan); indeks belum mewakili."
	msgReportSourceHistory = "Sumber: tab Riwayat (%d baris perpindahan langkah dalam periode ini)."
	msgReportSourceCases   = "Sumber: stempel waktu kasus (diterima, ditugaskan, dijawab, dikirim), karena periode ini belum memiliki baris Riwayat KOPI; langkah 2–4 saja."
	msgReportNoHolidays    = "Tabel hari libur tahun %d belum ada; waktu kerja tahun itu dihitung tanpa hari libur nasional — tambahkan berkas libur-%d.csv pada holidays.files."
)

// Messages of the survey configuration.
const (
	msgSurveyQuestionID    = "ID pertanyaan %q tidak sah — salin ticket_question_id yang ditulis `kopi init --create-survey-form` (angka heksadesimal, mis. 1a2b3c4d)"
	msgSurveyFollowUpNoURL = "pengingat survei butuh survey.url — jalankan `kopi init --create-survey-form` atau hapus follow_up_after"
)
