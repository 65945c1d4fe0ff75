package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Consultant is a row of the Konsuler tab that staff maintain.
type Consultant struct {
	Name  string
	Email string
	// Topics are the topic names (or codes) the consultant answers.
	Topics []string
	// Active is false for staff who no longer take cases.
	Active bool
	// MaxOpen caps the consultant's open cases; 0 means no cap.
	MaxOpen int
	// OnLeaveUntil is the last day of leave (inclusive); zero = not on leave.
	OnLeaveUntil Date
	// Role is the consultant's position (Inspektur Pembantu, Auditor,
	// PPUPD …), signed under answers.
	Role string
}

// OnLeave reports whether the consultant is on leave on day.
func (c Consultant) OnLeave(day Date) bool {
	return !c.OnLeaveUntil.IsZero() && !day.After(c.OnLeaveUntil)
}

// Handles reports whether the consultant answers topic (by name or code).
func (c Consultant) Handles(t Topic) bool {
	for _, x := range c.Topics {
		k := normKey(x)
		if k == normKey(t.Name) || (t.Code != "" && k == normKey(t.Code)) {
			return true
		}
	}
	return false
}

// Workload is what the tracker says about one consultant's cases.
type Workload struct {
	// Open counts the consultant's cases with an Open status.
	Open int
	// LastAssigned is the latest AssignedAt among all their cases.
	LastAssigned time.Time
}

// Workloads derives each consultant's workload from the tracker's
// cases, keyed by lower-case email: the rotation needs no hidden state.
func Workloads(cases []Case) map[string]Workload {
	m := map[string]Workload{}
	for _, c := range cases {
		k := strings.ToLower(strings.TrimSpace(c.ConsultantEmail))
		if k == "" {
			continue
		}
		w := m[k]
		if c.Status.Open() {
			w.Open++
		}
		if c.AssignedAt.After(w.LastAssigned) {
			w.LastAssigned = c.AssignedAt
		}
		m[k] = w
	}
	return m
}

// Assignment is the outcome of Assign.
type Assignment struct {
	// OK is true when a consultant was chosen.
	OK bool
	// Consultant is the chosen consultant (when OK).
	Consultant Consultant
	// Reason explains, in Indonesian for the admin, why nobody was
	// chosen (when !OK).
	Reason string
}

// Assign picks the consultant for a case of topic on day: among active
// consultants of the topic who are not on leave and below their cap, the
// one with the fewest open cases; among equals, the one whose last
// assignment is oldest (never assigned first), then by email — so equal
// consultants take turns. loads comes from Workloads.
func Assign(roster []Consultant, topic Topic, loads map[string]Workload, day Date) Assignment {
	var handles, inactive, onLeave, full int
	type cand struct {
		c Consultant
		w Workload
	}
	var cands []cand
	for _, c := range roster {
		if !c.Handles(topic) {
			continue
		}
		handles++
		w := loads[strings.ToLower(strings.TrimSpace(c.Email))]
		switch {
		case !c.Active:
			inactive++
		case c.OnLeave(day):
			onLeave++
		case c.MaxOpen > 0 && w.Open >= c.MaxOpen:
			full++
		default:
			cands = append(cands, cand{c, w})
		}
	}
	if len(cands) == 0 {
		if handles == 0 {
			return Assignment{Reason: fmt.Sprintf(msgAssignNoOne, topic.Name)}
		}
		var why []string
		if inactive > 0 {
			why = append(why, fmt.Sprintf(msgAssignInactive, inactive))
		}
		if onLeave > 0 {
			why = append(why, fmt.Sprintf(msgAssignOnLeave, onLeave))
		}
		if full > 0 {
			why = append(why, fmt.Sprintf(msgAssignFull, full))
		}
		return Assignment{Reason: fmt.Sprintf(msgAssignNoneFree, topic.Name, strings.Join(why, ", "))}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.w.Open != b.w.Open {
			return a.w.Open < b.w.Open
		}
		if !a.w.LastAssigned.Equal(b.w.LastAssigned) {
			return a.w.LastAssigned.Before(b.w.LastAssigned)
		}
		return strings.ToLower(a.c.Email) < strings.ToLower(b.c.Email)
	})
	return Assignment{OK: true, Consultant: cands[0].c}
}

// ParseTopicList reads a roster's topics cell against the configured
// topics. Topic names may themselves contain commas ("Reviu, monitoring
// dan evaluasi"), so known names and codes are matched first and only
// the rest is split on commas, semicolons and new lines; leftovers are
// returned as unknown so the admin can be told.
func ParseTopicList(cell string, topics []Topic) (names []string, unknown []string) {
	rest := " " + normKey(strings.NewReplacer("\n", ";", "\r", "").Replace(cell)) + " "
	sorted := append([]Topic(nil), topics...)
	sort.SliceStable(sorted, func(i, j int) bool { return len(sorted[i].Name) > len(sorted[j].Name) })
	found := map[string]bool{}
	for _, t := range sorted {
		k := normKey(t.Name)
		for k != "" {
			i := indexWord(rest, k)
			if i < 0 {
				break
			}
			rest = rest[:i] + ";" + rest[i+len(k):]
			found[t.Name] = true
		}
	}
	for _, part := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ';' }) {
		p := strings.TrimSpace(part)
		if p == "" {
			continue
		}
		matched := false
		for _, t := range topics {
			if t.Code != "" && normKey(t.Code) == p {
				found[t.Name] = true
				matched = true
			}
		}
		if !matched {
			unknown = append(unknown, p)
		}
	}
	for _, t := range topics {
		if found[t.Name] {
			names = append(names, t.Name)
		}
	}
	return names, unknown
}

// indexWord finds k in s where it is bounded by spaces, commas or
// semicolons (s starts and ends with a space), so "audit" does not match
// inside "auditor".
func indexWord(s, k string) int {
	for off := 0; ; {
		i := strings.Index(s[off:], k)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(k)
		if i > 0 && strings.ContainsRune(" ,;", rune(s[i-1])) && end < len(s) && strings.ContainsRune(" ,;", rune(s[end])) {
			return i
		}
		off = i + 1
	}
}
