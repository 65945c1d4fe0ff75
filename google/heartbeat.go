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
	// state is the state tab as last read: where the records are.
	state *Table
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
			Claimed: claimed, Beat: beat, Stopped: r.Get(ColStateMsg) == beatStopped, Handle: r.Index,
		})
	}
	return out
}

// SaveBeat writes a heartbeat record: in place when it has a handle,
// appended after the state tab's last record otherwise (its handle is
// then known from the next Beats). The tab must have been read by Beats.
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
	if b.Handle < 0 {
		// A claim is appended where Sheets puts it when it applies the
		// request, so row order is the order claims arrived: the lock's
		// tie-break. (Commit's inserts at a read-time index would not
		// keep that order between racing instances.)
		if err := h.sheets.appendRecord(ctx, h.state, vals); err != nil {
			return fmt.Errorf("write heartbeat: %w", err)
		}
		return nil
	}
	if err := h.sheets.Apply(ctx, &Commit{State: map[*Table][]StateWrite{h.state: {{Index: b.Handle, Values: vals}}}}); err != nil {
		return fmt.Errorf("write heartbeat: %w", err)
	}
	return nil
}
