package rules

import (
	"errors"
	"strings"
	"testing"
)

func TestResolveQuestions(t *testing.T) {
	form := []FormQuestion{
		{Title: "Nama Lengkap", ID: "q1"},
		{Title: "Instansi / Unit Kerja", ID: "q2"},
		{Title: "Alamat  email", ID: "q3"},
		{Title: "Nomor WhatsApp", ID: "q4"},
		{Title: "Jenis Layanan Konsultasi", ID: "q5"},
		{Title: "Pertanyaan / Permasalahan", ID: "q6"},
		{Title: "Tautan Dokumen Pendukung", ID: "q7"},
	}
	ids, err := ResolveQuestions(DefaultQuestionTitles, form)
	if err != nil {
		t.Fatal(err)
	}
	if ids[FieldEmail] != "q3" || ids[FieldLampiran] != "q7" || len(ids) != 7 {
		t.Errorf("ids = %v", ids)
	}

	titles := DefaultQuestionTitles
	titles.WhatsApp = "No. HP"
	titles.Lampiran = ""
	dup := append(form[:len(form):len(form)], FormQuestion{Title: "nama lengkap", ID: "q8"})
	_, err = ResolveQuestions(titles, dup)
	var me *MappingError
	if !errors.As(err, &me) {
		t.Fatalf("want *MappingError, got %v", err)
	}
	if me.NotFound[FieldWhatsApp] != "No. HP" || me.Ambiguous[FieldNama] == "" || len(me.NotFound) != 1 {
		t.Errorf("mapping error = %+v", me)
	}
	msg := err.Error()
	for _, want := range []string{
		`intake.questions.whatsapp: pertanyaan "No. HP" tidak ada di formulir`,
		`intake.questions.nama: pertanyaan "Nama Lengkap" ada lebih dari sekali`,
		`Pertanyaan yang ada di formulir: "Nama Lengkap", "Instansi / Unit Kerja"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

func TestParseHolidayCSV(t *testing.T) {
	hs := BuiltinHolidays()
	if len(hs) != 25 {
		t.Errorf("builtin table has %d days, want 25 (17 libur + 8 cuti bersama)", len(hs))
	}
	var cuti int
	for _, h := range hs {
		if h.Kind == HolidayJointLeave {
			cuti++
		}
	}
	if cuti != 8 {
		t.Errorf("cuti bersama = %d, want 8", cuti)
	}
	bad := "tanggal,hari,jenis,keterangan\n2027-01-01,Jumat,libur,Tahun Baru\n2027-01-02,Senin,libur,Salah hari\n2027-13-01,,libur,x\n2027-02-06,Sabtu,cuti,x\n"
	got, err := ParseHolidayCSV("libur-2027.csv", []byte(bad))
	if len(got) != 1 || err == nil {
		t.Fatalf("got %v, %v", got, err)
	}
	for _, want := range []string{
		"libur-2027.csv baris 3: 2027-01-02 bukan hari Senin melainkan hari Sabtu",
		"libur-2027.csv baris 4: tanggal \"2027-13-01\" tidak dapat dibaca",
		"libur-2027.csv baris 5: jenis \"cuti\" tidak dikenal",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := ParseHolidayCSV("x.csv", []byte("date,name\n")); err == nil {
		t.Error("want header error")
	}
}

func TestParseSpanClockDate(t *testing.T) {
	spans := map[string]Span{
		"30m": {Time: 30 * 60e9}, "1d": {Days: 1}, "1 hari kerja": {Days: 1}, "2 jam 30 menit": {Time: 150 * 60e9},
		"1d2h": {Days: 1, Time: 2 * 3600e9}, "20 Menit": {Time: 20 * 60e9},
	}
	for in, want := range spans {
		got, err := ParseSpan(in)
		if err != nil || got != want {
			t.Errorf("ParseSpan(%q) = %+v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "sehari", "1x", "30", "-1d"} {
		if _, err := ParseSpan(bad); err == nil {
			t.Errorf("ParseSpan(%q): want error", bad)
		}
	}
	if s := MustSpan("1d2h30m"); s.String() != "1d2h30m" || s.Indonesian() != "1 hari kerja 2 jam 30 menit" {
		t.Errorf("String/Indonesian = %s / %s", s, s.Indonesian())
	}
	for in, want := range map[string]string{"07:30": "07:30", "7.30": "07:30", "24:00": "24:00"} {
		if c, err := ParseClock(in); err != nil || c.String() != want {
			t.Errorf("ParseClock(%q) = %v, %v", in, c, err)
		}
	}
	for _, bad := range []string{"7", "25:00", "07:60", "24:30", "jam 7"} {
		if _, err := ParseClock(bad); err == nil {
			t.Errorf("ParseClock(%q): want error", bad)
		}
	}
	if d, err := ParseDate("2026-03-18"); err != nil || d.Weekday().String() != "Wednesday" || d.AddDays(7).String() != "2026-03-25" {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
}
