package sync_test

import (
	"strings"
	"time"

	"kopi/rules"
)

// Reminders in the simulation, checked from the SOP's rules as the
// configuration states them (reminders on, overdue at the deadline,
// escalation later; one survey reminder a working day after the answer),
// against the Sent folder stamped with the time of the cycle that sent
// each email — never through kopi's scheduling code.

// simSurveyFollowUp is the survey reminder's delay the simulation
// configures: one working day after the answer went out.
const simSurveyFollowUp = "1d"

// simPreBreachShare is the share of the working time from assignment to
// deadline after which the pre-breach reminder is due, as the
// simulation configures it.
const simPreBreachShare = 0.75

// simPreBreach is when the pre-breach reminder of a case assigned at
// assigned with the deadline dl falls due, by the simulation's own
// calendar arithmetic.
func simPreBreach(assigned, dl time.Time) time.Time {
	total := simWorkingBetween(assigned, dl)
	if total <= 0 {
		return dl
	}
	return simAddWorking(assigned, time.Duration(float64(total)*simPreBreachShare))
}

// simWorkingBetween is the office time between a and b (a before b).
func simWorkingBetween(a, b time.Time) time.Duration {
	var sum time.Duration
	for day := a; !day.After(b) || sameDate(day, b); day = simNextWorkday(day) {
		for _, iv := range simDay(day) {
			s, e := laterOf(iv.start, a, func(x, y time.Time) bool { return x.Before(y) }), iv.end
			if b.Before(e) {
				e = b
			}
			if e.After(s) {
				sum += e.Sub(s)
			}
		}
		if sameDate(day, b) {
			break
		}
	}
	return sum
}

func sameDate(a, b time.Time) bool {
	ay, am, ad := a.In(wib).Date()
	by, bm, bd := b.In(wib).Date()
	return ay == by && am == bm && ad == bd
}

// reminderKind names a reminder email by its subject ("" for others).
func reminderKind(subject string) string {
	switch {
	case strings.Contains(subject, "] Pengingat: tenggat jawaban"):
		return "pengingat"
	case strings.Contains(subject, "] Lewat tenggat:"):
		return "lewat-tenggat"
	case strings.Contains(subject, "] Eskalasi:"):
		return "eskalasi"
	case strings.HasPrefix(subject, "Survei kepuasan layanan KOPI, tiket "):
		return "survei"
	}
	return ""
}

// stampSent gives each email Gmail sent since the last stamp the time
// at which the cycle that sent it started.
func (r *simRun) stampSent(at time.Time) {
	for n := len(r.e.srv.Sent("me")); len(r.sentAt) < n; {
		r.sentAt = append(r.sentAt, at)
	}
}

// simOpen reports whether the office is open at t by the simulation's
// own calendar (simDay).
func simOpen(t time.Time) bool {
	for _, iv := range simDay(t) {
		if !t.Before(iv.start) && t.Before(iv.end) {
			return true
		}
	}
	return false
}

// checkReminders: each reminder at most once per case; deadline
// reminders only in office hours, only while the case waited for its
// consultant, the overdue notice and the escalation not before the
// deadline the row shows, and a case still waiting past its deadline at
// the end has had its overdue notice or escalation; the survey reminder
// only to a requester whose answer went out, not before a working day
// after it, and not once a survey named the case.
func (r *simRun) checkReminders(rows [][]string) {
	sent := r.e.srv.Sent("me")
	type key struct{ tk, kind string }
	count := map[key]int{}
	when := map[key]time.Time{}
	answerAt := map[string]time.Time{}
	for i, m := range sent {
		if i >= len(r.sentAt) {
			break
		}
		ref := headerOf(m.Raw, "X-Kopi-Ref")
		tk, _, _ := strings.Cut(ref, "/")
		if emailKind(m.Subject, ref) == tk+" answer" {
			if _, ok := answerAt[tk]; !ok {
				answerAt[tk] = r.sentAt[i]
			}
		}
		kind := reminderKind(m.Subject)
		if kind == "" {
			continue
		}
		k := key{tk, kind}
		count[k]++
		if _, ok := when[k]; !ok {
			when[k] = r.sentAt[i]
		}
		at := r.sentAt[i]
		if kind != "survei" && at.Before(simCalendarEnd) && !simOpen(at) {
			r.violate("reminder", "%s: %s sent at %s, outside office hours", tk, kind, at.In(wib).Format("Mon 2 Jan 15:04"))
		}
		// The survey reminder never goes out once a survey names the
		// case: a cycle lists the surveys before it decides or sends.
		if s, ok := r.surveyedAt[tk]; kind == "survei" && ok && at.After(s) {
			r.violate("reminder", "%s: survey reminder sent at %s, after the requester rated at %s", tk, at.In(wib).Format("Mon 2 Jan 15:04:05"), s.In(wib).Format("Mon 2 Jan 15:04:05"))
		}
		if kind != "survei" {
			// A reminder held back until staff answered is withdrawn,
			// not sent (sim_regress_test.go, reminder-held-past-answer).
			if a, ok := r.answeredAt[tk]; ok && at.After(a) {
				r.violate("reminder", "%s: %s sent at %s, after staff answered at %s", tk, kind, at.In(wib).Format("Mon 2 Jan 15:04"), a.In(wib).Format("Mon 2 Jan 15:04"))
			}
		}
	}
	for k, n := range count {
		if n > 1 {
			r.violate("duplicate", "%s: %d %s emails, want at most one", k.tk, n, k.kind)
		}
	}
	for _, i := range caseRows(rows) {
		tk := cell(rows, i, "No. Tiket")
		dl, err := time.ParseInLocation("2006-01-02 15:04", cell(rows, i, "Tenggat"), wib)
		if err == nil {
			for _, kind := range []string{"lewat-tenggat", "eskalasi"} {
				if at, ok := when[key{tk, kind}]; ok && at.Before(dl) {
					r.violate("reminder", "%s: %s sent at %s, before the deadline %s", tk, kind, at.In(wib).Format("Mon 2 Jan 15:04"), dl.Format("Mon 2 Jan 15:04"))
				}
			}
			// The pre-breach reminder not before its share of the
			// working time from the assignment to the deadline.
			if at, ok := when[key{tk, "pengingat"}]; ok && dl.Before(simCalendarEnd) {
				assigned, err := time.ParseInLocation("2006-01-02 15:04", cell(rows, i, "Ditugaskan Pada"), wib)
				switch pre := simPreBreach(assigned, dl); {
				case err != nil:
					r.violate("reminder", "%s: pre-breach reminder sent at %s, and the row shows no assignment time (%q)", tk, at.In(wib).Format("Mon 2 Jan 15:04"), cell(rows, i, "Ditugaskan Pada"))
				case at.Before(pre):
					r.violate("reminder", "%s: pre-breach reminder sent at %s, before %s (%.0f%% of the working time from the assignment %s to the deadline %s)", tk, at.In(wib).Format("Mon 2 Jan 15:04:05"), pre.In(wib).Format("Mon 2 Jan 15:04:05"), simPreBreachShare*100, assigned.Format("Mon 2 Jan 15:04"), dl.Format("Mon 2 Jan 15:04"))
				}
			}
			// Still waiting for the consultant when the office ended,
			// past its deadline at the drain's first cycle.
			if rules.Status(cell(rows, i, "Status")) == rules.StatusDitugaskan && dl.Before(r.drainFrom) &&
				count[key{tk, "lewat-tenggat"}]+count[key{tk, "eskalasi"}]+r.deleted[tk+" other"] == 0 {
				r.violate("reminder", "%s waits for its consultant past its deadline %s and had neither an overdue notice nor an escalation", tk, dl.Format("Mon 2 Jan 15:04"))
			}
		}
		if at, ok := when[key{tk, "survei"}]; ok {
			ans, answered := answerAt[tk]
			switch {
			case !answered:
				r.violate("reminder", "%s: survey reminder sent at %s, and no answer went out", tk, at.In(wib).Format("Mon 2 Jan 15:04"))
			// To the second: kopi times the follow-up from the journal's
			// send, not the row's minutes (seed 187: answer Mon
			// 13:17:xx, reminder Tue 13:17:00).
			case ans.Before(simCalendarEnd) && at.Before(simAddDay(ans)):
				r.violate("reminder", "%s: survey reminder sent at %s, before a working day after the answer (%s)", tk, at.In(wib).Format("Mon 2 Jan 15:04"), ans.In(wib).Format("Mon 2 Jan 15:04"))
			}
		}
	}
}
