package rules

// Step is one step of an SOP in the national format (PermenPANRB
// 35/2012): who acts, the time standard ("waktu" in the SOP's Mutu Baku
// column, in working time) and the output.
type Step struct {
	// No is the step number, from 1.
	No int `yaml:"no"`
	// Name says what happens, in Indonesian.
	Name string `yaml:"name"`
	// Actor is the SOP role that acts (Pengguna Layanan, Admin KOPI, …).
	Actor string `yaml:"actor"`
	// Standard is the time standard in working time.
	Standard Span `yaml:"standard"`
	// Output is the step's output document.
	Output string `yaml:"output,omitempty"`
}

// The steps of the KOPI SOP the daemon refers to by number.
const (
	StepFillForm = 1 // requester fills the form
	StepCheck    = 2 // admin checks completeness and forwards
	StepAnswer   = 3 // team answers (1 working day): the consultant's deadline
	StepSend     = 4 // admin sends the answer
	StepArchive  = 5 // secretariat archives
	StepReceive  = 6 // requester receives the answer
)

// DefaultSOP is the KOPI Terintegrasi SOP (Inspektorat Daerah Kabupaten
// Indragiri Hilir, 700/Insp-Set/SOP/49, 2021) as data.
func DefaultSOP() SOPConfig {
	return SOPConfig{
		Name: "Konsultasi Online Pengawasan Intern (KOPI) Terintegrasi",
		Steps: []Step{
			{No: 1, Name: "Pengguna layanan mengisi form konsultasi", Actor: "Pengguna Layanan", Standard: MustSpan("20m"), Output: "Form konsultasi dan data dukung"},
			{No: 2, Name: "Admin memeriksa kelengkapan form dan lampiran dan meneruskan kepada Tim KOPI", Actor: "Admin KOPI", Standard: MustSpan("30m"), Output: "Berkas konsultasi"},
			{No: 3, Name: "Tim KOPI membahas pertanyaan dan menyerahkan jawaban kepada Admin KOPI", Actor: "Tim KOPI", Standard: MustSpan("1d"), Output: "Penjelasan atas pertanyaan"},
			{No: 4, Name: "Admin menyampaikan jawaban melalui email dan melapor ke Sekretariat", Actor: "Admin KOPI", Standard: MustSpan("30m"), Output: "Dokumen layanan konsultasi"},
			{No: 5, Name: "Sekretariat menerima berkas pelayanan KOPI", Actor: "Sekretariat", Standard: MustSpan("30m"), Output: "Arsip dokumen layanan konsultasi"},
			{No: 6, Name: "Pengguna layanan menerima jawaban", Actor: "Pengguna Layanan", Standard: MustSpan("30m"), Output: "Hasil konsultasi"},
		},
	}
}
