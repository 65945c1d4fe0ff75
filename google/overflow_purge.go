package google

import (
	"context"
	"fmt"

	"kopi/rules"
)

// PurgeOverflow clears, in one batchUpdate, the overflow-tab parts of the
// long values of the tickets' rows (data retention: an anonymised case
// must leave no question or answer text behind). It reads nothing: it
// uses the overflow tab as read at the start of the cycle, and makes no
// call when none of the tickets has parts. Cleared records become empty
// rows, which reading skips.
func (tx *TrackerTx) PurgeOverflow(ctx context.Context, tickets []rules.Ticket) (int, error) {
	if len(tickets) == 0 || tx.tables[OverflowTab.Title] == nil {
		return 0, nil
	}
	ov, err := tx.table(OverflowTab.Title)
	if err != nil {
		return 0, err
	}
	purge := map[string]bool{}
	for _, tk := range tickets {
		purge[tk.String()] = true
	}
	var writes []StateWrite
	for _, r := range ov.Rows {
		if purge[r.Get("anchor")] {
			writes = append(writes, StateWrite{Index: r.Index, Values: map[string]string{}})
		}
	}
	if len(writes) == 0 {
		return 0, nil
	}
	if err := tx.t.sheets.Apply(ctx, &Commit{State: map[*Table][]StateWrite{ov: writes}}); err != nil {
		return 0, fmt.Errorf("clear %d long-text parts: %w", len(writes), err)
	}
	return len(writes), nil
}
