package rules

import "time"

// Heartbeat is one daemon instance's record in the tracker's state tab:
// who runs (a random instance id and the host name — no personal data),
// since when, and when it last showed it was alive. A spreadsheet is
// served by one daemon at a time; the records decide which.
type Heartbeat struct {
	// Instance is a random id chosen when the daemon starts.
	Instance string
	// Host is the machine's host name, so the operator knows where the
	// other instance runs.
	Host string
	// Claimed is when the instance wrote its claim.
	Claimed time.Time
	// Beat is the instance's last sign of life.
	Beat time.Time
	// Stopped is set by an instance that shut down cleanly: its record
	// no longer holds the spreadsheet.
	Stopped bool
	// Order is the claim's place among the records (1 = earliest), in
	// the order the spreadsheet itself applied the appends; 0 for a claim
	// not yet recorded.
	Order int
}

// Alive reports whether the record's instance is presumed running at
// now: not stopped, and beating within staleAfter. A beat from the future
// (another machine's clock ahead of ours) counts as alive.
func (h Heartbeat) Alive(now time.Time, staleAfter time.Duration) bool {
	return !h.Stopped && now.Sub(h.Beat) < staleAfter
}

// LockHolder returns the instance that holds the spreadsheet at now: of
// the alive records, the earliest claim — the lowest Order, which is the
// order in which the spreadsheet itself applied the appends, so clock
// differences between machines cannot make two instances both win.
func LockHolder(beats []Heartbeat, now time.Time, staleAfter time.Duration) (Heartbeat, bool) {
	var best Heartbeat
	found := false
	for _, b := range beats {
		if !b.Alive(now, staleAfter) || b.Order <= 0 {
			continue
		}
		if !found || b.Order < best.Order {
			best, found = b, true
		}
	}
	return best, found
}
