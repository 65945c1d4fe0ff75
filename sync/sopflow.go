package sync

import (
	"fmt"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"time"

	"kopi/rules"
)

// KindSOPStep is the email telling a role that an SOP case reached its
// step (or came back to it for correction).
const KindSOPStep = "sop-langkah"

// KindSOPReminder reminds a step's actor of its time standard (near,
// over), or tells the admins (escalation).
const KindSOPReminder = "sop-pengingat"

// sopRecipient encodes who an SOP step email is for and about which
// step: "role@step", with "!" at the end for a correction. The address
// is looked up in the Peran tab when the email is composed.
func sopRecipient(e rules.StepEmail) string {
	s := e.Role + "@" + strconv.Itoa(e.Step)
	if e.Correction {
		s += "!"
	}
	return s
}

// parseSOPRecipient reads "role@step", "role@step!" (a correction) or
// "role@step#level" (a reminder).
func parseSOPRecipient(s string) (role string, step int, correction bool, level rules.Reminder) {
	s, lv, _ := strings.Cut(s, "#")
	level = rules.Reminder(lv)
	correction = strings.HasSuffix(s, "!")
	role, n, _ := strings.Cut(strings.TrimSuffix(s, "!"), "@")
	step, _ = strconv.Atoi(n)
	return role, step, correction, level
}

// sopCaseID names the n-th case of an SOP, e.g. BIMTEK-0007.
func sopCaseID(sop string, n int) string {
	return fmt.Sprintf("%s-%04d", strings.ToUpper(sop), n)
}

// sopRef is an SOP case's name in the outbox journal: "sop/case".
func sopRef(sop, c string) string { return sop + "/" + c }

// sops runs the SOPs other than KOPI over their tabs: a row staff added
// starts a case; a decision on the step the row shows moves it on (or
// back). Every transition — the flow in the state tab, its history row
// and its emails — goes into the cycle's one atomic commit; the row's
// own cells are written after the commit (plan.sopViews), and a decision
// counts only while the row shows the case's current step, so a crash
// between the two neither loses nor repeats a transition.
func (in *intake) sops() {
	defs := map[string]*rules.SOPDef{}
	for _, d := range in.e.o.SOPs {
		defs[d.ID] = d
	}
	if len(defs) == 0 {
		return
	}
	flows := map[string]*rules.FlowRecord{}
	// Numbers continue after the highest flow and the highest case the
	// archive took (its flow left the state tab with it).
	seq := map[string]int{}
	for sop, n := range in.snap.State.Archive.SOPHighest {
		seq[sop] = n
	}
	for i := range in.snap.State.Flows {
		f := &in.snap.State.Flows[i]
		flows[sopRef(f.SOP, f.Case)] = f
		if n, ok := rules.SOPCaseSeq(f.Case); ok && n > seq[f.SOP] {
			seq[f.SOP] = n
		}
	}
	failed := map[string][]rules.Flag{}
	for _, d := range in.p.outbox {
		if d.Case != "" && d.State == rules.DeliveryFailed {
			failed[d.Case] = append(failed[d.Case], rules.Flag{Kind: rules.FlagDeliveryFailed, Detail: KindSOPStep, Reason: d.Detail})
		}
	}
	for _, row := range in.snap.SOPRows {
		def := defs[row.SOP]
		if def == nil {
			continue
		}
		if row.Case == "" {
			seq[def.ID]++
			f := rules.Flow{Case: sopCaseID(def.ID, seq[def.ID]), Choice: row.Choice}
			o := rules.Advance(def, f, rules.Event{Kind: rules.EventStart, Actor: actorStart}, in.now, in.e.o.Calendar)
			rec := rules.FlowRecord{Flow: o.Flow, Title: row.Title}
			in.p.sopFlows[sopRef(def.ID, rec.Case)] = rec
			in.transition(def, rec, o)
			in.p.changes.Anchors = append(in.p.changes.Anchors, rules.SOPAnchor{
				SOP: def.ID, Case: rec.Case, NewRow: row.NewRow, View: sopView(def, rec.Flow, nil, false),
			})
			in.rep.SOPStarted++
			continue
		}
		rec := flows[sopRef(row.SOP, row.Case)]
		if rec == nil && in.snap.State.Archive.SOPArchived(row.SOP, row.Case) {
			// The case is archived (its row copied back, or typed
			// again): not a new case, and nothing of it is written.
			in.rep.SOPArchivedRows++
			in.rep.Problems = append(in.rep.Problems, fmt.Sprintf(msgSOPRowArchived, row.Case, def.Tab, def.Tab))
			continue
		}
		if rec == nil {
			in.rep.Problems = append(in.rep.Problems, fmt.Sprintf("baris %s di tab %q tidak punya catatan alur di tab status — baris hasil salinan? hapus atau kosongkan No. Kasus-nya", row.Case, def.Tab))
			continue
		}
		in.p.sopFlows[sopRef(def.ID, rec.Case)] = *rec
		flags := failed[sopRef(def.ID, rec.Case)]
		shown := rec.Step
		if rec.Done {
			shown = 0
		}
		if row.Shown != shown {
			// The row does not show the flow yet (a crash after the
			// commit): write it, and drop a decision made on the old step.
			in.p.sopViews = append(in.p.sopViews, sopView(def, rec.Flow, flags, true))
			continue
		}
		if rec.Done || strings.TrimSpace(row.Decision) == "" {
			if rules.Notes(flags, in.e.loc) != row.Notes {
				in.p.sopViews = append(in.p.sopViews, sopView(def, rec.Flow, flags, false))
			}
			continue
		}
		f := rec.Flow
		if row.Choice != "" {
			f.Choice = row.Choice
		}
		step, _ := def.Step(f.Step)
		ev := rules.Event{Kind: rules.EventDecision, Step: f.Step, Decision: row.Decision, Note: row.DecisionNote, Actor: in.people(step.Actor)}
		o := rules.Advance(def, f, ev, in.now, in.e.o.Calendar)
		if !o.Changed() {
			flags = append(flags, o.Flags...)
			if rules.Notes(flags, in.e.loc) != row.Notes {
				in.p.sopViews = append(in.p.sopViews, sopView(def, rec.Flow, flags, false))
			}
			continue
		}
		next := rules.FlowRecord{Flow: o.Flow, Title: row.Title}
		if h := o.History[0]; h.Correction {
			next.Note = h.Note
		}
		in.p.sopFlows[sopRef(def.ID, next.Case)] = next
		in.transition(def, next, o)
		in.p.sopViews = append(in.p.sopViews, sopView(def, next.Flow, nil, true))
		in.rep.SOPTransitions++
	}
	in.sopReminders(defs, flows)
}

// sopReminders queues the reminder each waiting SOP step is due, by its
// time standard in working time (rules.StepReminder): to the step's
// actor near and at its due time, to the admins on escalation; each at
// most once per entry into the step (the key names the entry).
func (in *intake) sopReminders(defs map[string]*rules.SOPDef, before map[string]*rules.FlowRecord) {
	policy := in.e.o.Config.ReminderPolicy()
	keys := make([]string, 0, len(in.p.sopFlows))
	for k := range in.p.sopFlows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rec := in.p.sopFlows[k]
		if old := before[k]; old == nil || old.Step != rec.Step || !old.EnteredAt.Equal(rec.EnteredAt) {
			continue // entered this cycle
		}
		def := defs[rec.SOP]
		step, ok := def.Step(rec.Step)
		if !ok {
			continue
		}
		var sent []rules.Reminder
		for _, r := range []rules.Reminder{rules.ReminderPreBreach, rules.ReminderOverdue, rules.ReminderEscalation} {
			if in.keys[sopReminderKey(rec, r)] {
				sent = append(sent, r)
			}
		}
		r := rules.StepReminder(in.e.o.Calendar, policy, rec.Flow, sent, in.now)
		if r == rules.ReminderNone {
			continue
		}
		role := step.Actor
		if r == rules.ReminderEscalation {
			role = recipientAdmin
		}
		in.queue(rules.Delivery{Key: sopReminderKey(rec, r), Case: sopRef(rec.SOP, rec.Case), Kind: KindSOPReminder, Recipient: fmt.Sprintf("%s@%d#%s", role, rec.Step, r)})
		in.rep.Reminders++
	}
}

// sopReminderKey is the key of a reminder about an SOP case's current
// entry into its step: it names the step and when the case entered it,
// so a case sent back to the step gets reminders of its own, and a
// pending reminder whose key is not its flow's now is about an entry
// the case left (withdrawStale).
func sopReminderKey(rec rules.FlowRecord, r rules.Reminder) string {
	return rules.EmailKey(rec.SOP, rec.Case, "pengingat", string(r), strconv.Itoa(rec.Step), rec.EnteredAt.UTC().Format(time.RFC3339Nano))
}

// msgSOPRowArchived tells staff that a row shows an archived SOP case.
const msgSOPRowArchived = "baris %s di tab %q menampilkan kasus yang sudah selesai dan diarsipkan (tab \"Arsip %s <tahun selesai>\") — kopi tidak mengubahnya; hapus baris salinan ini"

// actorStart is who the history names for a case started by a new row:
// the Sheets API does not say who added it.
const actorStart = "staf (baris baru di Sheet)"

// people names who acts for a role, from the Peran tab: the Sheets API
// does not say who edited a cell, so the history records the people the
// roles map to the step's actor.
func (in *intake) people(role string) string {
	var names []string
	for _, p := range in.snap.Roles {
		if strings.EqualFold(p.Role, role) {
			n := p.Name
			if n == "" {
				n = p.Email
			}
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return role
	}
	return strings.Join(names, ", ") + " (" + role + ")"
}

// transition adds one engine outcome to the cycle's commit: the flow,
// its history rows and its emails (each keyed, so deriving it again
// adds nothing).
func (in *intake) transition(def *rules.SOPDef, rec rules.FlowRecord, o rules.Outcome) {
	in.p.changes.Flows = append(in.p.changes.Flows, rec)
	in.p.changes.History = append(in.p.changes.History, o.History...)
	for _, m := range o.Emails {
		in.queue(rules.Delivery{Key: m.Key, Case: sopRef(def.ID, rec.Case), Kind: KindSOPStep, Recipient: sopRecipient(m)})
	}
}

// sopView is what kopi writes into a case's row.
func sopView(def *rules.SOPDef, f rules.Flow, flags []rules.Flag, clear bool) rules.SOPRowView {
	step, _ := def.Step(f.Step)
	return rules.SOPRowView{SOP: def.ID, Case: f.Case, Flow: f, Step: step, Flags: flags, ClearDecision: clear}
}

// sopOverdue lists the SOP cases whose current step is past its time
// standard at now, for the digest.
func (e *Engine) sopOverdue(p *plan, now time.Time) []string {
	var out []string
	for _, d := range e.o.SOPs {
		var keys []string
		for k, r := range p.sopFlows {
			if r.SOP == d.ID && !r.Done && !r.Due.IsZero() && now.After(r.Due) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			r := p.sopFlows[k]
			s, _ := d.Step(r.Step)
			out = append(out, fmt.Sprintf("%s · %s · langkah %d (%s) · batas %s", r.Case, r.Title, r.Step, s.Actor, formatWhen(r.Due, e.loc)))
		}
	}
	return out
}

// sopMailData is what the SOP step template sees.
type sopMailData struct {
	Name, Tab, Case, Title string
	Person, Role           string
	Step                   int
	Action, Output         string
	Standard, Due          string
	Decisions              string
	Review                 bool
	Correction             bool
	Note                   string
	// Level is a reminder's level (rules.Reminder); Actor the step's role.
	Level, Actor string
}

// composeSOP renders an SOP step email to the people of its role, in
// the case's own thread (see thread).
func (e *Engine) composeSOP(p *plan, d *rules.Delivery, from mail.Address) (rules.Email, error) {
	sopID, caseID, _ := strings.Cut(d.Case, "/")
	var def *rules.SOPDef
	for _, x := range e.o.SOPs {
		if x.ID == sopID {
			def = x
		}
	}
	rec, ok := p.sopFlows[d.Case]
	if def == nil || !ok {
		return rules.Email{}, fmt.Errorf("kasus %s tidak ada lagi", d.Case)
	}
	role, n, correction, level := parseSOPRecipient(d.Recipient)
	step, ok := def.Step(n)
	if !ok {
		return rules.Email{}, fmt.Errorf("langkah %d tidak ada di SOP %s", n, def.ID)
	}
	var to []mail.Address
	var names []string
	if role == recipientAdmin {
		to = admins(e.o.Config)
		names = []string{"Admin"}
	} else if p.snap != nil {
		for _, person := range p.snap.Roles {
			if !strings.EqualFold(person.Role, role) {
				continue
			}
			if a, err := address(person.Name, person.Email); err == nil {
				to = append(to, a)
				names = append(names, person.Name)
			}
		}
	}
	if len(to) == 0 {
		return rules.Email{}, fmt.Errorf("tidak ada alamat email untuk peran %q di tab Peran", role)
	}
	sd := &sopMailData{
		Name: def.Name, Tab: def.Tab, Case: caseID, Title: rec.Title, Person: strings.Join(names, ", "), Role: role,
		Step: n, Action: step.Action, Output: step.Output, Standard: step.StandardFor(rec.Choice).Indonesian(),
		Decisions: strings.Join(step.DecisionLabels(), " / "), Review: len(step.Decisions) > 0, Correction: correction,
		Level: string(level), Actor: step.Actor,
	}
	if rec.Step == n && !rec.Done {
		sd.Due = formatWhen(rec.Due, e.loc)
	} else {
		sd.Due = "-"
	}
	if correction && rec.Step == n {
		sd.Note = rec.Note
	}
	data := mailData{SheetURL: e.o.SheetURL, Office: e.o.Config.Mail.Sender.Name, Ref: refOf(d), SOP: sd}
	subject, text, html, err := e.o.Templates.render(d.Kind, data)
	if err != nil {
		return rules.Email{}, err
	}
	return rules.Email{Key: d.Key, Ticket: caseID, Kind: d.Kind, Ref: refOf(d), From: from, To: to, Subject: subject, Text: text, HTML: html}, nil
}

// sopThreadRoot is the first email of an SOP case that went out: later
// emails of the case reply to it, so each case is one thread.
func sopThreadRoot(p *plan, d *rules.Delivery) *rules.Delivery {
	var root *rules.Delivery
	for _, x := range p.outbox {
		if x.Case == d.Case && x.State == rules.DeliverySent && x.Key != d.Key && (root == nil || x.At.Before(root.At)) {
			root = x
		}
	}
	return root
}
