package main

// Messages of the survey and report commands (Indonesian, for the operator).
const (
	msgSurveyCreated = "Formulir Survei Kepuasan Masyarakat dibuat: %s"
	msgSurveyLink    = "Tautan publik survei: %s"
	msgSurveyExists  = "Formulir survei sudah ada (survey.form_id = %s); tidak dibuat lagi."
	msgCreateSurvey  = "buat formulir survei: %w"
)
