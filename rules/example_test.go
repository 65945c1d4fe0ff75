package rules_test

import (
	"fmt"
	"time"

	"kopi/rules"
)

func ExampleParseConfig() {
	_, err := rules.ParseConfig([]byte("intake:\n  form_id: abc\nmail:\n  daily_limit: 0\n"))
	fmt.Println(err)
	// Output:
	// konfigurasi tidak sah (4 masalah):
	// - tracker.spreadsheet_id: wajib diisi — isi dengan ID Google Sheet pelacak, yaitu bagian di antara /spreadsheets/d/ dan /edit pada tautannya (atau jalankan kopi init)
	// - mail.sender.address: wajib diisi — isi dengan alamat email, mis. kopi@inspektorat.go.id
	// - mail.admins: wajib diisi — isi minimal satu alamat email admin KOPI yang menerima eskalasi dan ringkasan harian
	// - mail.daily_limit: batas harian 0 tidak wajar — isi antara 1 dan 10000 (Gmail biasa 500, Google Workspace 2000)
}

func ExampleCalendar_AddSpan() {
	loc, _ := time.LoadLocation("Asia/Jakarta")
	cal, _ := rules.NewCalendar(loc, rules.DefaultOfficeHours(), rules.DefaultRamadan(), rules.BuiltinHolidays())
	// Step 3 of the SOP, "1 hari kerja", from a Friday afternoon and from
	// the day before the Nyepi / Idul Fitri closure.
	for _, start := range []time.Time{
		time.Date(2026, 4, 10, 15, 0, 0, 0, loc),
		time.Date(2026, 3, 17, 10, 0, 0, 0, loc),
	} {
		fmt.Println(cal.AddSpan(start, rules.MustSpan("1d")).Format("Mon 2006-01-02 15:04"))
	}
	// Output:
	// Mon 2026-04-13 15:00
	// Wed 2026-03-25 10:00
}

func ExampleNormalizePhone() {
	e164, ok := rules.NormalizePhone("0812-3456-7890")
	fmt.Println(e164, ok)
	fmt.Println(rules.WhatsAppLink(e164, "Jawaban KOPI-2026-0001"))
	_, ok = rules.NormalizePhone("12345")
	fmt.Println(ok)
	// Output:
	// +6281234567890 true
	// https://wa.me/6281234567890?text=Jawaban%20KOPI-2026-0001
	// false
}

func ExampleTicketCounter() {
	var tc rules.TicketCounter
	for _, s := range []string{"KOPI-2026-0041", "KOPI-2026-0042", "KOPI-2025-0310"} {
		t, _ := rules.ParseTicket(s)
		tc.See(t)
	}
	fmt.Println(tc.Next(2026), tc.Next(2026), tc.Next(2027))
	// Output: KOPI-2026-0043 KOPI-2026-0044 KOPI-2027-0001
}

func ExampleAssign() {
	topic := rules.Topic{Name: rules.TopicAudit, Code: "audit"}
	roster := []rules.Consultant{
		{Name: "Ani", Email: "ani@inspektorat.go.id", Topics: []string{"audit"}, Active: true},
		{Name: "Budi", Email: "budi@inspektorat.go.id", Topics: []string{"Audit"}, Active: true, MaxOpen: 3},
	}
	loads := map[string]rules.Workload{"ani@inspektorat.go.id": {Open: 2}, "budi@inspektorat.go.id": {Open: 3}}
	a := rules.Assign(roster, topic, loads, rules.Date{Year: 2026, Month: time.April, Day: 13})
	fmt.Println(a.OK, a.Consultant.Name)
	// Output: true Ani
}
