package main

// Messages of the survey and report commands (Indonesian, for the operator).
const (
	msgSurveyCreated = "Formulir Survei Kepuasan Masyarakat dibuat: %s"
	msgSurveyLink    = "Tautan publik survei: %s"
	msgSurveyExists  = "Formulir survei sudah ada (survey.form_id = %s); tidak dibuat lagi."
	msgCreateSurvey  = "buat formulir survei: %w"
)

// Messages of `kopi report` and the nightly rebuild.
const (
	msgConnectSurvey    = "hubungkan formulir survei: %w"
	msgReportFailed     = "bangun ulang laporan %s: %w"
	msgReportPeriodFlag = "sebutkan tepat satu periode: --month TTTT-BB (mis. --month 2026-11) atau --year TTTT (mis. --year 2026)"
	msgReportDone       = "Laporan %s dibangun ulang di tab Laporan: %d konsultasi; %s."
	msgReportIKM        = "IKM %s, mutu %s (%s), %d responden"
	msgReportNoIKM      = "IKM belum dapat dihitung (belum ada survei yang dapat dihitung untuk setiap unsur)"
	msgReportShort      = "Catatan: responden %d orang, di bawah sampel minimum %d (tabel Krejcie–Morgan)."
	msgReportLink       = "Buka: %s"
	msgReportCompliance = "Kepatuhan standar waktu %s — %s"
)
