package main

import (
	"fmt"
	"strings"
	"time"

	"kopi/rules"
)

// demoEvent is something a requester does on the demo day: submit the
// form, or edit an earlier response of theirs.
type demoEvent struct {
	at   time.Time
	edit int // for an edit: the index of the response edited, else -1
	sub  map[rules.Field]string
	note string // what the demo shows with it, for the timeline
}

// longQuestionChars is the length of the demo's overlong question: more
// than a Sheets cell holds (50,000), so the tracker must keep the rest in
// its overflow tab.
const longQuestionChars = 60000

// formulaQuestion looks like a spreadsheet formula; it must be stored as
// text, never evaluated.
const formulaQuestion = `=IMPORTDATA("http://x") muncul di kolom keterangan lembar kerja realisasi anggaran yang kami terima dari pihak ketiga. Apakah lembar kerja seperti ini boleh dilampirkan dalam laporan monev, atau harus dibersihkan dulu?`

// demoDay is the simulated Monday, 2 March 2026 (in Ramadan 1447 H, so
// the office works 08:00–15:00): twelve requesters, all four topics,
// some forms incomplete, and one requester completing their form later.
func demoDay(loc *time.Location) []demoEvent {
	at := func(hm string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", "2026-03-02 "+hm, loc)
		if err != nil {
			panic(err)
		}
		return t
	}
	sub := func(name, unit, email, wa, topic, question, link string) map[rules.Field]string {
		return map[rules.Field]string{
			rules.FieldNama: name, rules.FieldInstansi: unit, rules.FieldEmail: email,
			rules.FieldWhatsApp: wa, rules.FieldTopik: topic, rules.FieldPertanyaan: question,
			rules.FieldLampiran: link,
		}
	}
	budi := sub("Budi Santoso", "Kecamatan Cibeber", "budi.santoso@cibeber.example.go.id", "0813-1122",
		rules.TopicUmum, "Apakah konsultasi KOPI dapat dilanjutkan dengan pertemuan tatap muka di kantor Inspektorat, dan dokumen apa yang perlu kami bawa?", "")
	budiFixed := map[rules.Field]string{}
	for f, v := range budi {
		budiFixed[f] = v
	}
	budiFixed[rules.FieldWhatsApp] = "0813-1122-3344"

	return []demoEvent{
		{at: at("07:52"), edit: -1, sub: sub("Sri Wahyuni", "Pemerintah Desa Sukamaju", "sri.wahyuni@desa-sukamaju.example.id", "0812-3456-7890",
			rules.TopicTindakLanjut, "Bagaimana tata cara menindaklanjuti rekomendasi BPK atas kelebihan pembayaran belanja modal dana desa tahun 2025? Apakah pengembalian dapat diangsur?", "https://drive.google.com/file/d/1SrWahyuniLHP2025/view")},
		{at: at("08:06"), edit: -1, sub: sub("Ahmad Fauzi", "Dinas Pekerjaan Umum dan Penataan Ruang", "ahmad.fauzi@dpupr.example.go.id", "0821-7788-9900",
			rules.TopicAudit, "Kontrak pembangunan jembatan kami diadendum dua kali karena perubahan desain. Dokumen apa saja yang akan diminta auditor saat audit ketaatan?", "")},
		{at: at("08:21"), edit: -1, sub: sub("Rina Marlina", "Badan Pengelola Keuangan dan Aset Daerah", "rina.marlina@bpkad.example.go.id", "+62 811-2233-4455",
			rules.TopicReviu, "Kapan jadwal reviu LKPD 2025 oleh Inspektorat dan kertas kerja apa yang perlu kami siapkan sebelum tim datang?", "")},
		{at: at("08:43"), edit: -1, sub: budi, note: "nomor WhatsApp terpotong"},
		{at: at("09:04"), edit: -1, sub: sub("Dewi Lestari", "RSUD Kabupaten Contoh", "dewi.lestari@rsud", "0852-1234-5678",
			rules.TopicAudit, "Apakah pengadaan obat melalui e-katalog termasuk objek audit kinerja tahun ini?", ""), note: "alamat email tidak sah"},
		{at: at("09:28"), edit: -1, sub: sub("Hendra Gunawan", "Dinas Pendidikan", "hendra.gunawan@disdik.example.go.id", "0878-5566-7788",
			rules.TopicTindakLanjut, "Kami sudah menyetor pengembalian kelebihan honorarium sesuai LHP. Bagaimana cara melaporkan bukti setornya?", ""), note: "TLHP tanpa tautan dokumen"},
		{at: at("09:57"), edit: -1, sub: sub("Yuliana Sari", "Dinas Kesehatan", "yuliana.sari@dinkes.example.go.id", "0813-9988-7766",
			rules.TopicReviu, formulaQuestion, "https://drive.google.com/file/d/1YulianaMonev/view"), note: "pertanyaan berawalan =IMPORTDATA(…)"},
		{at: at("10:31"), edit: 3, sub: budiFixed, note: "pemohon membetulkan nomor WhatsApp"},
		{at: at("10:44"), edit: -1, sub: sub("Agus Prasetyo", "Sekretariat DPRD", "agus.prasetyo@dprd.example.go.id", "0812-6677-8899",
			rules.TopicUmum, "Apakah Inspektorat menerima permintaan pendampingan penyusunan SOP di lingkungan Sekretariat DPRD?", "")},
		{at: at("11:16"), edit: -1, sub: sub("Siti Nurhaliza", "Pemerintah Desa Mekarjaya", "siti.nurhaliza@desa-mekarjaya.example.id", "0857-2345-6789",
			rules.TopicTindakLanjut, longQuestion(), "https://drive.google.com/file/d/1SitiKronologi/view"), note: "pertanyaan 60.000 karakter"},
		{at: at("12:18"), edit: -1, sub: sub("Wahyu Hidayat", "Dinas Sosial", "wahyu.hidayat@dinsos.example.go.id", "0819-3344-5566",
			rules.TopicAudit, "Bagaimana ketentuan audit atas penyaluran bantuan sosial yang dananya berasal dari Dana Bagi Hasil Cukai?", "")},
		{at: at("13:37"), edit: -1, sub: sub("Maria Ulfa", "Bappeda", "maria.ulfa@bappeda.example.go.id", "+62 813-2222-3333",
			rules.TopicReviu, "Apakah reviu RKPD 2027 dilakukan sebelum atau sesudah musrenbang kabupaten?", "")},
		{at: at("15:22"), edit: -1, sub: sub("Teguh Wibowo", "Satuan Polisi Pamong Praja", "teguh.wibowo@satpolpp.example.go.id", "0838-4455-6677",
			rules.TopicUmum, "Bagaimana cara mengajukan permohonan audit dengan tujuan tertentu atas pengelolaan barang sitaan?", ""), note: "masuk sesudah jam kerja"},
	}
}

// longQuestion is a realistic chronology, 60,000 characters long.
func longQuestion() string {
	var b strings.Builder
	b.WriteString("Kronologi tindak lanjut temuan pemeriksaan atas pengelolaan keuangan desa tahun anggaran 2023-2025, kami sampaikan selengkapnya sebagai berikut.\n")
	for i := 1; b.Len() < longQuestionChars; i++ {
		fmt.Fprintf(&b, "%d. Pada tahap ke-%d, tim pelaksana kegiatan menyerahkan bukti pertanggungjawaban belanja, namun sebagian kuitansi belum ditandatangani penerima dan belum dilampiri foto kegiatan; kami mohon arahan apakah bukti pengganti berupa surat pernyataan tanggung jawab mutlak dapat diterima.\n", i, i)
	}
	return b.String()[:longQuestionChars]
}

// demoStaffEvent is something office staff do in the tracking Sheet on
// the demo days: the consultant writes the answer and sets Dijawab, or the
// admin sets Disetujui.
type demoStaffEvent struct {
	at     time.Time
	ticket string
	who    string // "konsuler" or "admin", for the timeline
	answer string // written to the Jawaban column when not empty
	status rules.Status
}

// The demo's answers. Each has a phrase found in no other text of the
// demo, which the checks look for in the emails sent.
const (
	answerSriPhrase   = "pengembalian kelebihan pembayaran dapat diangsur"
	answerAhmadPhrase = "dua addendum kontrak beserta justifikasi teknisnya"
	answerRinaPhrase  = "kertas kerja reviu LKPD 2025"
	answerAgusPhrase  = "pendampingan penyusunan SOP dapat kami berikan"
)

// demoAnswers maps the tickets the staff answer to the phrase of their
// answer, and whether the admin approves it on the demo days.
var demoAnswers = []struct {
	ticket, phrase string
	approved       bool
}{
	{"KOPI-2026-0001", answerSriPhrase, true},
	{"KOPI-2026-0002", answerAhmadPhrase, true},
	{"KOPI-2026-0003", answerRinaPhrase, true},
	{"KOPI-2026-0008", answerAgusPhrase, false},
}

// demoStaff is what staff do in the Sheet: on Monday afternoon three
// consultants answer and the admin approves; one answer (KOPI-2026-0008)
// is written late on Monday and not approved by Tuesday noon, so it
// must not be sent.
func demoStaff(loc *time.Location) []demoStaffEvent {
	at := func(day, hm string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", "2026-03-0"+day+" "+hm, loc)
		if err != nil {
			panic(err)
		}
		return t
	}
	return []demoStaffEvent{
		{at: at("2", "13:02"), ticket: "KOPI-2026-0001", who: "konsuler", status: rules.StatusDijawab, answer: "Terima kasih atas pertanyaan Ibu.\n\n" +
			"1. Kelebihan pembayaran belanja modal yang menjadi temuan BPK wajib disetor kembali ke Rekening Kas Desa paling lambat 60 hari sejak LHP diterima.\n" +
			"2. Sesuai ketentuan, " + answerSriPhrase + " apabila Kepala Desa membuat surat pernyataan kesanggupan bermeterai dan jadwal angsuran disetujui Inspektorat.\n" +
			"3. Bukti setor setiap angsuran diunggah ke aplikasi pemantauan tindak lanjut.\n\n" +
			"Contoh surat pernyataan dan jadwal angsuran dapat diunduh di https://inspektorat.example.go.id/unduhan/tlhp-angsuran.\n\n" +
			"Salam,\nBambang Sutrisno"},
		{at: at("2", "13:25"), ticket: "KOPI-2026-0001", who: "admin", status: rules.StatusDisetujui},
		{at: at("2", "13:48"), ticket: "KOPI-2026-0002", who: "konsuler", status: rules.StatusDijawab, answer: "Selamat siang Bapak.\n\n" +
			"Untuk audit ketaatan atas kontrak jembatan, siapkan kontrak awal, " + answerAhmadPhrase + ", berita acara pemeriksaan lapangan, " +
			"serta laporan kemajuan pekerjaan dan dokumentasi fotonya.\n" +
			"Daftar periksa lengkapnya tersedia di https://inspektorat.example.go.id/panduan/audit-ketaatan-konstruksi.\n\n" +
			"Salam,\nRudi Hartono"},
		{at: at("2", "14:08"), ticket: "KOPI-2026-0002", who: "admin", status: rules.StatusDisetujui},
		{at: at("2", "14:12"), ticket: "KOPI-2026-0003", who: "konsuler", status: rules.StatusDijawab, answer: "Yth. Ibu,\n\n" +
			"Reviu LKPD 2025 dijadwalkan mulai 16 Maret 2026. Sebelum tim datang, mohon siapkan neraca saldo, rekonsiliasi kas, " +
			"dan daftar aset hasil inventarisasi; format " + answerRinaPhrase + " ada di https://inspektorat.example.go.id/reviu/lkpd-2025.\n\n" +
			"Salam,\nNur Aini"},
		{at: at("2", "14:33"), ticket: "KOPI-2026-0003", who: "admin", status: rules.StatusDisetujui},
		{at: at("2", "14:51"), ticket: "KOPI-2026-0008", who: "konsuler", status: rules.StatusDijawab, answer: "Yth. Bapak,\n\n" +
			"Ya, " + answerAgusPhrase + ". Silakan kirim surat permohonan resmi dari Sekretaris DPRD; informasi lengkap di https://inspektorat.example.go.id/layanan/pendampingan.\n\n" +
			"Salam,\nLina Marlina"},
	}
}

// demoConsultants are the demo office's consultants by the example
// roster's addresses: names an admin types into the Konsuler tab.
var demoConsultants = map[string]string{
	"irban1@inspektorat.example.go.id":   "Drs. Bambang Sutrisno, M.Si.",
	"auditor1@inspektorat.example.go.id": "Rudi Hartono, S.E.",
	"ppupd1@inspektorat.example.go.id":   "Nur Aini, S.H.",
	"kasubbag@inspektorat.example.go.id": "Lina Marlina, S.Sos.",
}
