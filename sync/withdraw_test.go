package sync_test

import (
	"strings"
	"testing"
	"time"

	"kopi/google/fake"
	"kopi/rules"
)

// The simulation's seed 124 (simKnownStaleReminder until it was fixed):
// an overdue notice queued at a case's deadline was held back, staff
// answered, and the outbox sent the notice hours later anyway. These
// tests hold it back each way the outbox can, answer, and require that
// the next cycles withdraw it: no email, no draft left, the withdrawal
// recorded in the state tab.

// reminderRecords are the outbox records of a kind of email about a
// ticket, each as its cells by header.
func reminderRecords(e *env, ticket, kind string) []map[string]string {
	var out []map[string]string
	for _, r := range stateRecords(e, "surel") {
		if r["tiket"] == ticket && strings.HasPrefix(r["keterangan"], kind+"|") {
			out = append(out, r)
		}
	}
	return out
}

// overdueNotices are the overdue notices Gmail sent about the held case.
func overdueNotices(e *env) []fake.SentMessage {
	return sentTo(e, "[KOPI-2026-0001] Lewat tenggat")
}

// deadlineOf reads a ticket's deadline off its row.
func deadlineOf(e *env, ticket string) time.Time {
	e.t.Helper()
	rows := e.rows()
	dl, err := time.ParseInLocation("2006-01-02 15:04", cell(rows, rowOf(rows, ticket), "Tenggat"), wib)
	if err != nil {
		e.t.Fatalf("deadline of %s: %v", ticket, err)
	}
	return dl
}

// The ways an overdue notice is held back at the deadline.
const (
	// holdKopiLimit: the office's daily sending limit is spent (kopi's
	// own count): the notice stays queued, no draft made.
	holdKopiLimit = "daily-limit"
	// holdGmailLimit: Gmail refuses drafts.send (429, daily user sending
	// limit): the notice is drafted, its draft waits in the mailbox.
	holdGmailLimit = "gmail-limit"
	// holdOfficeHours: drafts.create is applied but its answer lost,
	// then the office closes: the notice stays queued with a draft kopi
	// does not know of, and waits for the morning.
	holdOfficeHours = "office-hours"
)

// heldOverdueNotice builds the office of the scenario: a case nobody
// answers until its deadline, whose overdue notice is queued at the
// deadline and held back (hold), after which staff answer (Dijawab). It
// returns the office and when staff answered.
func heldOverdueNotice(t *testing.T, hold string) (*env, time.Time) {
	t.Helper()
	e := holdOverdueNotice(t, hold)
	answered := e.clock.Now()
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDijawab)
	return e, answered
}

// holdOverdueNotice is heldOverdueNotice before staff answer: the case
// still waits for its consultant, its overdue notice held.
func holdOverdueNotice(t *testing.T, hold string) *env {
	t.Helper()
	e := setup(t)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	dl := deadlineOf(e, "KOPI-2026-0001")
	if hold == holdKopiLimit {
		// Earlier that day another request took the day's sends.
		e.clock.Set(dl.Add(-time.Hour))
		e.submit(complete("budi", e.cfg.TopicNames()[1]))
		e.cycle()
		today := 0
		for _, r := range stateRecords(e, "surel") {
			at, _ := time.Parse(time.RFC3339Nano, r["waktu"])
			if r["nilai"] == string(rules.DeliverySent) && at.In(wib).YearDay() == dl.YearDay() {
				today++
			}
		}
		if today == 0 {
			t.Fatal("no email sent on the deadline's day: the limit holds nothing")
		}
		e.cfg.Mail.DailyLimit = today
	}
	e.clock.Set(dl.Add(time.Minute))
	switch hold {
	case holdGmailLimit:
		if err := e.srv.AddFault(gmailCap()); err != nil {
			t.Fatal(err)
		}
	case holdOfficeHours:
		if err := e.srv.AddFault(fake.Fault{Method: "gmail.users.drafts.create", DropAfterHandling: true, Times: -1}); err != nil {
			t.Fatal(err)
		}
	}
	rep := e.cycle()
	e.srv.ClearFaults()
	if rep.Reminders != 1 || len(overdueNotices(e)) != 0 {
		t.Fatalf("%s: the cycle at the deadline queued %d reminders and sent %d overdue notices; want one queued and held", hold, rep.Reminders, len(overdueNotices(e)))
	}
	switch recs := reminderRecords(e, "KOPI-2026-0001", "lewat-tenggat"); {
	case len(recs) != 1:
		t.Fatalf("%s: %d overdue notice records, want 1", hold, len(recs))
	case hold == holdGmailLimit && (recs[0]["nilai"] != string(rules.DeliveryDrafted) || recs[0]["draf"] == "" || draftsLeft(e) == 0):
		t.Fatalf("%s: notice %q with %d drafts, want drafted with its draft", hold, recs[0]["nilai"], draftsLeft(e))
	case hold == holdOfficeHours && (recs[0]["nilai"] != string(rules.DeliveryQueued) || draftsLeft(e) == 0):
		t.Fatalf("%s: notice %q with %d drafts, want queued with the lost draft", hold, recs[0]["nilai"], draftsLeft(e))
	case hold == holdKopiLimit && (recs[0]["nilai"] != string(rules.DeliveryQueued) || draftsLeft(e) != 0):
		t.Fatalf("%s: notice %q with %d drafts, want queued, no draft", hold, recs[0]["nilai"], draftsLeft(e))
	}
	e.cfg.Mail.DailyLimit = rules.DefaultConfig().Mail.DailyLimit
	if hold == holdOfficeHours {
		end, ok := e.cal.EndOfDay(dl)
		if !ok {
			t.Fatalf("office closed on the deadline's day %s", dl)
		}
		e.clock.Set(end.Add(time.Hour))
		if e.cal.IsOpen(e.clock.Now()) {
			t.Fatalf("office open at %s", e.clock.Now())
		}
	} else {
		e.clock.Advance(30 * time.Minute)
	}
	return e
}

// nextOpening is the office's first minute on the working day after
// the clock's.
func nextOpening(e *env) time.Time {
	e.t.Helper()
	for d := 1; d < 10; d++ {
		if start, ok := e.cal.StartOfDay(e.clock.Now().AddDate(0, 0, d)); ok {
			return start
		}
	}
	e.t.Fatalf("no working day after %s", e.clock.Now())
	return time.Time{}
}

// checkWithdrawn: after staff answered, no overdue notice went out, no
// draft is left, and the state tab records the notice withdrawn (once)
// with its reason; the row carries no failure note.
func checkWithdrawn(t *testing.T, e *env, label string) {
	t.Helper()
	if got := overdueNotices(e); len(got) != 0 {
		t.Errorf("%s: %d overdue notices sent after staff answered", label, len(got))
	}
	if n := draftsLeft(e); n != 0 {
		t.Errorf("%s: %d drafts left in the mailbox", label, n)
	}
	recs := reminderRecords(e, "KOPI-2026-0001", "lewat-tenggat")
	if len(recs) != 1 || recs[0]["nilai"] != string(rules.DeliveryWithdrawn) || !strings.Contains(recs[0]["keterangan"], "tidak lagi menunggu") {
		t.Errorf("%s: overdue notice records %v, want one %q with its reason", label, recs, rules.DeliveryWithdrawn)
	}
	rows := e.rows()
	if notes := cell(rows, rowOf(rows, "KOPI-2026-0001"), "Catatan Sistem"); strings.Contains(notes, "tidak terkirim") {
		t.Errorf("%s: the row reports a failure: %q", label, notes)
	}
}

// TestHeldReminderWithdrawnWhenAnswered is seed 124 reproduced directly,
// for each way the notice is held: the next cycle withdraws it (deleting
// its draft, known or lost), and the cycles of the next morning, when
// the office is open and the limits are new, send nothing more.
func TestHeldReminderWithdrawnWhenAnswered(t *testing.T) {
	t.Parallel()
	for _, hold := range []string{holdKopiLimit, holdGmailLimit, holdOfficeHours} {
		t.Run(hold, func(t *testing.T) {
			t.Parallel()
			e, _ := heldOverdueNotice(t, hold)
			e.clock.Advance(time.Minute)
			rep := e.cycle()
			if rep.Withdrawn != 1 || len(overdueNotices(e)) != 0 {
				t.Errorf("cycle after the answer: withdrawn %d, overdue notices sent %d; want 1, 0", rep.Withdrawn, len(overdueNotices(e)))
			}
			e.clock.Set(nextOpening(e).Add(5 * time.Minute))
			for range 3 {
				e.cycle()
				e.clock.Advance(30 * time.Minute)
			}
			checkWithdrawn(t, e, hold)
			// The morning's digest lists the withdrawn notice neither as
			// failed nor as waiting.
			d := sentTo(e, "Ringkasan harian")
			if len(d) == 0 {
				t.Fatal("no digest on the next morning")
			}
			if last := d[len(d)-1].Text; strings.Contains(last, "lewat-tenggat") {
				t.Errorf("the digest lists the withdrawn notice:\n%s", last)
			}
		})
	}
}

// TestHeldReminderWithdrawnWhenTurnedOff: the operator turns reminders
// off (reminders.enabled: false) while an overdue notice is held and its
// case still waits. No notice goes out afterwards, its draft is gone, and
// the state tab says why; turned on again, the notice is not sent late.
func TestHeldReminderWithdrawnWhenTurnedOff(t *testing.T) {
	t.Parallel()
	for _, hold := range []string{holdKopiLimit, holdGmailLimit, holdOfficeHours} {
		t.Run(hold, func(t *testing.T) {
			t.Parallel()
			e := holdOverdueNotice(t, hold)
			e.cfg.Reminders.Enabled = false
			e.clock.Set(nextOpening(e).Add(5 * time.Minute))
			rep := e.cycle()
			if rep.Withdrawn != 1 || len(overdueNotices(e)) != 0 {
				t.Errorf("first cycle with reminders off: withdrawn %d, overdue notices sent %d; want 1, 0", rep.Withdrawn, len(overdueNotices(e)))
			}
			for range 2 {
				e.clock.Advance(30 * time.Minute)
				e.cycle()
			}
			if n := len(overdueNotices(e)); n != 0 {
				t.Errorf("%d overdue notices sent with reminders off", n)
			}
			if n := draftsLeft(e); n != 0 {
				t.Errorf("%d drafts left in the mailbox", n)
			}
			recs := reminderRecords(e, "KOPI-2026-0001", "lewat-tenggat")
			if len(recs) != 1 || recs[0]["nilai"] != string(rules.DeliveryWithdrawn) || !strings.Contains(recs[0]["keterangan"], "dimatikan") {
				t.Errorf("overdue notice records %v, want one %q saying reminders were turned off", recs, rules.DeliveryWithdrawn)
			}
		})
	}
}

// TestWithdrawnReminderDueAgainWhenReturned: the admin returns the
// answer to the consultant (Dijawab → Ditugaskan) after the overdue
// notice was withdrawn. The consultant, never told, is overdue again:
// the notice is queued once more under a key of its own and sent once;
// a withdrawn notice is not queued again while the case does not wait.
func TestWithdrawnReminderDueAgainWhenReturned(t *testing.T) {
	t.Parallel()
	e, _ := heldOverdueNotice(t, holdGmailLimit)
	e.clock.Advance(time.Minute)
	e.cycle()
	for range 2 {
		e.clock.Advance(30 * time.Minute)
		if rep := e.cycle(); rep.Reminders != 0 {
			t.Fatalf("a withdrawn notice queued again while the case waits for nobody: %+v", rep)
		}
	}
	checkWithdrawn(t, e, "before the return")
	// Within the four working hours before the escalation is due.
	e.clock.Advance(30 * time.Minute)
	answerRow(e, "KOPI-2026-0001", "", rules.StatusDitugaskan)
	for range 3 {
		e.cycle()
		e.clock.Advance(30 * time.Minute)
	}
	if got := overdueNotices(e); len(got) != 1 || len(sentTo(e, "[KOPI-2026-0001] Eskalasi")) != 0 {
		t.Fatalf("overdue notices after the return: %d (and %d escalations), want 1", len(got), len(sentTo(e, "[KOPI-2026-0001] Eskalasi")))
	}
	states := map[string]int{}
	keys := map[string]bool{}
	for _, r := range reminderRecords(e, "KOPI-2026-0001", "lewat-tenggat") {
		states[r["nilai"]]++
		keys[r["kunci"]] = true
	}
	if states[string(rules.DeliveryWithdrawn)] != 1 || states[string(rules.DeliverySent)] != 1 || len(keys) != 2 {
		t.Errorf("overdue notice records: %v under %d keys; want one withdrawn, one sent, two keys", states, len(keys))
	}
}

// TestWithdrawalCrashAtEveryCall: the cycle that withdraws the held
// notice dies after each of its calls, or has a call applied and its
// answer lost; clean cycles follow into the next morning. Whatever the
// crash point, the notice is never sent, its draft (recorded, or made by
// a drafts.create whose answer was lost) is gone, and the withdrawal is
// recorded once — never as a draft a person deleted.
func TestWithdrawalCrashAtEveryCall(t *testing.T) {
	t.Parallel()
	for _, hold := range []string{holdGmailLimit, holdOfficeHours} {
		t.Run(hold, func(t *testing.T) {
			t.Parallel()
			office, _ := heldOverdueNotice(t, hold)
			office.clock.Advance(time.Minute)
			clean := office.fork(t)
			clean.transport.arm(0, 0)
			clean.cycle()
			calls := clean.transport.count()
			checkWithdrawn(t, clean, "no crash")
			eachCrashPoint(t, calls, func(t *testing.T, label string, crash func(*env)) {
				e := office.fork(t)
				crash(e)
				e.clock.Advance(time.Minute)
				e.cycle()
				e.clock.Set(nextOpening(e).Add(5 * time.Minute))
				e.cycle()
				checkWithdrawn(t, e, label)
				noSortByKopi(t, e)
			})
		})
	}
}

// TestSentReminderIsNotWithdrawn: at the deadline drafts.send sends the
// overdue notice but its answer is lost, so the journal still shows it
// drafted; staff answer before the next cycle. The notice is no longer
// due, but it went out: kopi finds it in the Sent folder and records it
// sent, never withdrawn, under either answer to whether a sent draft
// keeps its message id.
func TestSentReminderIsNotWithdrawn(t *testing.T) {
	t.Parallel()
	underEach(t, draftIDVariants, func(t *testing.T) {
		e := setup(t)
		e.submit(complete("ani", e.cfg.TopicNames()[0]))
		e.cycle()
		e.clock.Set(deadlineOf(e, "KOPI-2026-0001").Add(time.Minute))
		if err := e.srv.AddFault(fake.Fault{Method: "gmail.users.drafts.send", DropAfterHandling: true, Times: -1}); err != nil {
			t.Fatal(err)
		}
		e.cycle()
		e.srv.ClearFaults()
		if n := len(overdueNotices(e)); n != 1 {
			t.Fatalf("overdue notices sent with their answers lost: %d, want 1", n)
		}
		e.clock.Advance(30 * time.Minute)
		answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDijawab)
		e.clock.Advance(time.Minute)
		if rep := e.cycle(); rep.Withdrawn != 0 {
			t.Errorf("a sent notice was withdrawn: %+v", rep)
		}
		e.clock.Advance(30 * time.Minute)
		e.cycle()
		recs := reminderRecords(e, "KOPI-2026-0001", "lewat-tenggat")
		if len(recs) != 1 || recs[0]["nilai"] != string(rules.DeliverySent) {
			t.Errorf("overdue notice records %v, want one %q", recs, rules.DeliverySent)
		}
		if n := len(overdueNotices(e)); n != 1 {
			t.Errorf("overdue notices sent: %d, want 1", n)
		}
		if n := draftsLeft(e); n != 0 {
			t.Errorf("%d drafts left", n)
		}
	})
}

// TestHeldIncompleteNoticeWithdrawnWhenEdited: the notice naming what a
// response lacks is held back (Gmail's sending limit) and meanwhile the
// requester edits the form — completing it, or leaving something else
// missing. The held notice is about a version nobody needs any more: it
// is withdrawn, never sent; the new version gets its receipt or its own
// notice, once; no draft is left.
func TestHeldIncompleteNoticeWithdrawnWhenEdited(t *testing.T) {
	t.Parallel()
	for _, edit := range []string{"completed", "still-incomplete"} {
		t.Run(edit, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			bad := complete("ani", e.cfg.TopicNames()[0])
			bad[rules.FieldWhatsApp] = "12345"
			id := e.submit(bad)
			if err := e.srv.AddFault(gmailCap()); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(time.Minute)
			e.cycle()
			if n := e.subjects("belum lengkap"); n["belum lengkap"] != 0 {
				t.Fatalf("the notice went out under Gmail's limit")
			}
			if recs := reminderRecords(e, "KOPI-2026-0001", "kurang-lengkap"); len(recs) != 1 || recs[0]["nilai"] == string(rules.DeliverySent) {
				t.Fatalf("notice records %v, want one held", recs)
			}
			fixed := complete("ani", e.cfg.TopicNames()[0])
			if edit == "still-incomplete" {
				fixed[rules.FieldWhatsApp] = "0812"
			}
			if _, err := e.srv.EditResponse(e.formID, id, e.answers(fixed)); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(time.Minute)
			e.cycle()
			e.srv.ClearFaults()
			for range 3 {
				e.clock.Advance(10 * time.Minute)
				e.cycle()
			}
			n := e.subjects("belum lengkap", "Tanda terima")
			want := map[string]int{"belum lengkap": 0, "Tanda terima": 1}
			if edit == "still-incomplete" {
				want = map[string]int{"belum lengkap": 1, "Tanda terima": 0}
			}
			if n["belum lengkap"] != want["belum lengkap"] || n["Tanda terima"] != want["Tanda terima"] {
				t.Errorf("emails after the edit: %v, want %v", n, want)
			}
			if edit == "still-incomplete" {
				if m := sentTo(e, "belum lengkap"); len(m) == 1 && !strings.Contains(m[0].Text, "WhatsApp") {
					t.Errorf("the notice sent does not name the WhatsApp number:\n%s", m[0].Text)
				}
			}
			withdrawn := 0
			for _, r := range reminderRecords(e, "KOPI-2026-0001", "kurang-lengkap") {
				if r["nilai"] == string(rules.DeliveryWithdrawn) {
					withdrawn++
					if !strings.Contains(r["keterangan"], "mengubah isian") {
						t.Errorf("withdrawn notice without its reason: %v", r)
					}
				}
			}
			if withdrawn != 1 {
				t.Errorf("%d withdrawn notices, want 1", withdrawn)
			}
			if n := draftsLeft(e); n != 0 {
				t.Errorf("%d drafts left in the mailbox", n)
			}
		})
	}
}
