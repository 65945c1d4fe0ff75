package sync

import (
	"time"

	"kopi/rules"
)

// countOverdue counts the open cases whose deadline has passed at now,
// for the health page and the overdue-cases gauge.
func countOverdue(cases []rules.TrackedCase, now time.Time) int {
	n := 0
	for _, c := range cases {
		if c.Status.Open() && !c.Deadline.IsZero() && now.After(c.Deadline) {
			n++
		}
	}
	return n
}

// countByStatus counts cases by their status.
func countByStatus(cases []rules.TrackedCase) map[rules.Status]int {
	n := make(map[rules.Status]int)
	for _, c := range cases {
		n[c.Status]++
	}
	return n
}
