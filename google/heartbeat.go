package google

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/api/sheets/v4"

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
//
// A claim is appended where Sheets puts it; the first rewrite of the
// record anchors its row (row metadata "detak:<instance>", at the row the
// last Beats found it) and every later one finds the row by that anchor,
// wherever it is by then: the records of the state tab may move (the
// yearly compaction deletes rows above them) while a daemon beats.
type Heartbeats struct {
	sheets *Sheets
	// state is the state tab as last read; rows where each instance's
	// record is in it, anchored whether the record carries its anchor.
	state    *Table
	rows     map[string]int64
	anchored map[string]bool
}

// beatAnchorPrefix starts the row anchor of a heartbeat record.
const beatAnchorPrefix = "detak:"

// NewHeartbeats returns the heartbeat adapter of a spreadsheet.
func NewHeartbeats(s *Sheets) *Heartbeats { return &Heartbeats{sheets: s} }

// Beats reads every heartbeat record of the state tab, in row order.
func (h *Heartbeats) Beats(ctx context.Context) ([]rules.Heartbeat, error) {
	tables, err := h.sheets.Read(ctx, StateTab)
	if err != nil {
		return nil, fmt.Errorf("read heartbeats: %w", err)
	}
	h.state = tables[StateTab.Title]
	h.rows, h.anchored = map[string]int64{}, map[string]bool{}
	for _, r := range h.state.Rows {
		if id := r.Get(ColStateKey); r.Get(ColStateKind) == stateBeat {
			h.rows[id] = r.Index
			h.anchored[id] = r.Anchor == beatAnchorPrefix+id
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
// place — by its anchor, or the first time at the row the last Beats
// found it, anchoring it in the same batchUpdate; a new claim appended
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
	if h.anchored[b.Instance] {
		cells := map[int]string{}
		for key, col := range h.state.Columns {
			cells[col] = vals[key] // every column: absent values become empty
		}
		lookup := &sheets.DeveloperMetadataLookup{MetadataKey: MetaRowKey, MetadataValue: beatAnchorPrefix + b.Instance}
		if err := h.sheets.writeByLookup(ctx, []lookupUpdate{{lookup: lookup, cells: cells}}); err != nil {
			return fmt.Errorf("write heartbeat: %w", err)
		}
		return nil
	}
	row, ok := h.rows[b.Instance]
	if !ok {
		return fmt.Errorf("write heartbeat: the record of instance %s was not read", b.Instance)
	}
	anchor := &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
		MetadataKey: MetaRowKey, MetadataValue: beatAnchorPrefix + b.Instance, Visibility: "DOCUMENT",
		Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{
			SheetId: h.state.SheetID, Dimension: "ROWS", StartIndex: row, EndIndex: row + 1,
		}},
	}}}
	if err := h.sheets.Apply(ctx, &Commit{State: map[*Table][]StateWrite{h.state: {{Index: row, Values: vals}}}, Extra: []*sheets.Request{anchor}}); err != nil {
		return fmt.Errorf("write heartbeat: %w", err)
	}
	h.anchored[b.Instance] = true
	return nil
}
