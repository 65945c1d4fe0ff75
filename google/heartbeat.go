package google

import (
	"context"
	"fmt"
	"time"

	"kopi/rules"
)

// stateBeat is the state-tab record kind of an instance heartbeat.
const stateBeat = "detak"

// beatStopped marks, in the message column, the record of an instance
// that shut down cleanly.
const beatStopped = "berhenti"

// Heartbeats reads and writes the instance heartbeat records ("detak")
// of the hidden state tab: the one-daemon-per-spreadsheet lock. A record
// holds the instance id (key), the last beat (value), the claim time
// (time), the host name (detail) and "berhenti" once stopped (message).
// Reading costs one spreadsheets.get of the state tab only; writing one
// small spreadsheets.batchUpdate.
type Heartbeats struct {
	sheets *Sheets
	// state is the state tab as last read, and rows where each instance's
	// record is in it: a record is rewritten in place, so SaveBeat of a
	// recorded claim depends on the last Beats.
	state *Table
	rows  map[string]int64
}

// NewHeartbeats returns the heartbeat adapter of a spreadsheet.
func NewHeartbeats(s *Sheets) *Heartbeats { return &Heartbeats{sheets: s} }

// Beats reads every heartbeat record of the state tab, in row order.
func (h *Heartbeats) Beats(ctx context.Context) ([]rules.Heartbeat, error) {
	tables, err := h.sheets.Read(ctx, StateTab)
	if err != nil {
		return nil, fmt.Errorf("read heartbeats: %w", err)
	}
	h.state = tables[StateTab.Title]
	h.rows = map[string]int64{}
	for _, r := range h.state.Rows {
		if r.Get(ColStateKind) == stateBeat {
			h.rows[r.Get(ColStateKey)] = r.Index
		}
	}
	return beatsOf(h.state), nil
}

// beatsOf decodes the heartbeat records of a state tab, in row order.
func beatsOf(state *Table) []rules.Heartbeat {
	var out []rules.Heartbeat
	for _, r := range state.Rows {
		if r.Get(ColStateKind) != stateBeat {
			continue
		}
		beat, _ := time.Parse(time.RFC3339Nano, r.Get(ColStateValue))
		claimed, _ := time.Parse(time.RFC3339Nano, r.Get(ColStateTime))
		out = append(out, rules.Heartbeat{
			Instance: r.Get(ColStateKey), Host: r.Get(ColStateDetail),
			Claimed: claimed, Beat: beat, Stopped: r.Get(ColStateMsg) == beatStopped, Order: len(out) + 1,
		})
	}
	return out
}

// SaveBeat writes a heartbeat record: a recorded claim (Order > 0) in
// place, found by its instance id in the last Beats; a new claim appended
// after the state tab's last record (its Order is then known from the
// next Beats). The tab must have been read by Beats.
func (h *Heartbeats) SaveBeat(ctx context.Context, b rules.Heartbeat) error {
	if h.state == nil {
		return fmt.Errorf("write heartbeat: the state tab was not read")
	}
	vals := map[string]string{
		ColStateKind: stateBeat, ColStateKey: b.Instance, ColStateDetail: b.Host,
		ColStateValue: b.Beat.UTC().Format(time.RFC3339Nano),
		ColStateTime:  b.Claimed.UTC().Format(time.RFC3339Nano),
	}
	if b.Stopped {
		vals[ColStateMsg] = beatStopped
	}
	if b.Order <= 0 {
		// A claim is appended where Sheets puts it when it applies the
		// request, so row order is the order claims arrived: the lock's
		// tie-break. (Commit's inserts at a read-time index would not
		// keep that order between racing instances.)
		if err := h.sheets.appendRecord(ctx, h.state, vals); err != nil {
			return fmt.Errorf("write heartbeat: %w", err)
		}
		return nil
	}
	row, ok := h.rows[b.Instance]
	if !ok {
		return fmt.Errorf("write heartbeat: the record of instance %s was not read", b.Instance)
	}
	if err := h.sheets.Apply(ctx, &Commit{State: map[*Table][]StateWrite{h.state: {{Index: row, Values: vals}}}}); err != nil {
		return fmt.Errorf("write heartbeat: %w", err)
	}
	return nil
}
