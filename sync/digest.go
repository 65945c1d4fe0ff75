package sync

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"kopi/rules"
)

// digestListMax bounds each list of the digest so it stays readable on
// a phone; the count still says how many there are.
const digestListMax = 30

// The digest's line when the holiday table lacks a year (the same rule
// as `kopi check`'s, rules.Calendar.MissingHolidayYear).
const (
	msgDigestHolidayThis = "Tabel hari libur tidak memuat tahun %[1]d: tenggat dan pengingat tahun ini dihitung tanpa hari libur. Jalankan `kopi holidays template %[1]d`, cocokkan dengan SKB 3 Menteri, tambahkan berkasnya ke holidays.files, lalu `kopi check`"
	msgDigestHolidayNext = "Tabel hari libur belum memuat tahun %[1]d: sebelum 1 Januari jalankan `kopi holidays template %[1]d`, cocokkan dengan SKB 3 Menteri, tambahkan berkasnya ke holidays.files, lalu `kopi check`"
)

// digestView is what the digest templates see.
type digestView struct {
	Date     string
	Sections []digestSection
	// Quiet is true when every section is empty.
	Quiet bool
}

// digestSection is one list of the digest.
type digestSection struct {
	Title string
	Count int
	Items []string
	// More is how many items were left out of Items.
	More int
}

// digest queues the admins' daily digest: the first cycle of a working
// day's office hours; keyed by the date, so it goes once per day.
func (in *intake) digest() {
	cfg := in.e.o.Config
	if len(cfg.Mail.Admins) == 0 {
		return
	}
	day, ok := rules.DigestDue(in.e.o.Calendar, in.now)
	if !ok {
		return
	}
	in.addIntent(rules.Ticket{}, KindDigest, recipientAdmin, rules.EmailKey(cfg.Intake.FormID, KindDigest, day.String()))
}

// digestData builds the digest from the cases and the journal as they
// stand when it is composed.
func (e *Engine) digestData(p *plan, now time.Time) *digestView {
	cal, loc := e.o.Calendar, e.loc
	cfg := e.o.Config
	today := rules.DateOf(now.In(loc))
	todayStart, ok := cal.StartOfDay(now)
	if !ok {
		todayStart = today.In(loc)
	}
	prev := rules.PreviousWorkday(cal, today)
	prevStart, ok := cal.StartOfDay(prev.In(loc).Add(12 * time.Hour))
	if !ok {
		prevStart = prev.In(loc)
	}
	short := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		t = t.In(loc)
		return fmt.Sprintf("%s %d %s %02d.%02d", dayNames[t.Weekday()][:3], t.Day(), monthNames[t.Month()-1][:3], t.Hour(), t.Minute())
	}
	line := func(c *rules.TrackedCase, extra string) string {
		s := c.Ticket.String() + " · " + c.Topic
		if c.Consultant != "" {
			s += " · " + c.Consultant
		}
		if extra != "" {
			s += " · " + extra
		}
		return s
	}
	var (
		fresh, incomplete, unassigned, near, overdue, awaiting, sent, leave, attention []string
		deleted, failed, deferred                                                      []string
	)
	policy := cfg.ReminderPolicy()
	roster := map[string]rules.Consultant{}
	if p.snap != nil {
		for _, c := range p.snap.Roster {
			roster[strings.ToLower(strings.TrimSpace(c.Email))] = c
		}
	}
	for _, t := range sortedTickets(p) {
		c := p.cases[t]
		if !c.SubmittedAt.Before(prevStart) {
			fresh = append(fresh, line(c, "diterima "+short(c.SubmittedAt)))
		}
		switch c.Status {
		case rules.StatusKurangLengkap:
			incomplete = append(incomplete, line(c, ""))
		case rules.StatusBaru:
			unassigned = append(unassigned, line(c, "tenggat "+short(c.Deadline)))
		case rules.StatusDijawab:
			if cfg.Answers.ApprovalRequired {
				awaiting = append(awaiting, line(c, "dijawab "+short(c.AnsweredAt)))
			}
		}
		if c.Status.Open() && !c.Deadline.IsZero() {
			if !now.Before(c.Deadline) {
				overdue = append(overdue, line(c, "tenggat "+short(c.Deadline)))
			} else if !c.AssignedAt.IsZero() && !now.Before(rules.ScheduleReminders(cal, policy, c.AssignedAt, c.Deadline).PreBreach) {
				near = append(near, line(c, "tenggat "+short(c.Deadline)))
			}
		}
		if c.Status == rules.StatusDitugaskan {
			if k, ok := roster[strings.ToLower(strings.TrimSpace(c.ConsultantEmail))]; ok && k.OnLeave(today) {
				leave = append(leave, line(c, "konsuler cuti sampai "+k.OnLeaveUntil.String()+" — tawarkan penugasan ulang"))
			}
		}
		if f, ok := rules.Attention(c.Flags); ok {
			attention = append(attention, line(c, f.Text(loc)))
		}
	}
	if p.snap != nil {
		for _, le := range p.snap.State.Ledger {
			if p.cases[le.Ticket] == nil {
				deleted = append(deleted, le.Ticket.String()+" · baris dihapus dari Sheet (nomor tidak dipakai ulang)")
			}
		}
		attention = append(attention, p.snap.Problems...)
	}
	if y, ok := cal.MissingHolidayYear(now); ok {
		msg := msgDigestHolidayNext
		if y == today.Year {
			msg = msgDigestHolidayThis
		}
		attention = append(attention, fmt.Sprintf(msg, y))
	}
	for _, d := range p.outbox {
		name := d.Ticket.String()
		if d.Case != "" {
			name = d.Case
		}
		if name == "" {
			name = "(ringkasan)"
		}
		switch {
		case d.Kind == KindAnswer && d.State == rules.DeliverySent && !d.At.Before(prevStart) && d.At.Before(todayStart):
			sent = append(sent, name+" · terkirim "+short(d.At))
		case d.State == rules.DeliveryFailed && !d.At.Before(prevStart):
			failed = append(failed, name+" · "+d.Kind+" · "+d.Detail)
		case d.State == rules.DeliveryDraftDeleted && !d.At.Before(prevStart):
			failed = append(failed, name+" · "+d.Kind+" · draf dihapus di Gmail sebelum dikirim; email tidak terkirim")
		case d.Pending() && d.At.Before(todayStart):
			deferred = append(deferred, name+" · "+d.Kind+" · tertunda sejak "+short(d.At))
		}
	}
	v := &digestView{Date: strings.TrimSuffix(formatWhen(todayStart, loc), fmt.Sprintf(" pukul %02d.%02d %s", todayStart.In(loc).Hour(), todayStart.In(loc).Minute(), todayStart.In(loc).Format("MST")))}
	add := func(title string, items []string) {
		s := digestSection{Title: title, Count: len(items)}
		if len(items) > digestListMax {
			s.More = len(items) - digestListMax
			items = items[:digestListMax]
		}
		s.Items = items
		v.Sections = append(v.Sections, s)
	}
	add("Masuk sejak hari kerja kemarin", fresh)
	add("Kurang lengkap (menunggu pemohon)", incomplete)
	add("Belum ditugaskan", unassigned)
	add("Mendekati tenggat", near)
	add("Lewat tenggat", overdue)
	add("Dijawab, menunggu persetujuan", awaiting)
	add("Jawaban terkirim hari kerja kemarin", sent)
	add("Konsuler sedang cuti", leave)
	add("Perlu perhatian", attention)
	add("Baris terhapus", deleted)
	add("Email gagal", failed)
	add("Email tertunda", deferred)
	if len(e.o.SOPs) > 0 {
		add("Langkah SOP lewat waktu baku", e.sopOverdue(p, now))
	}
	v.Quiet = true
	for _, s := range v.Sections {
		if s.Count > 0 && s.Title != "Masuk sejak hari kerja kemarin" {
			v.Quiet = false
		}
	}
	return v
}

func sortedTickets(p *plan) []rules.Ticket {
	out := make([]rules.Ticket, 0, len(p.cases))
	for t := range p.cases {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Year != out[j].Year {
			return out[i].Year < out[j].Year
		}
		return out[i].Seq < out[j].Seq
	})
	return out
}
