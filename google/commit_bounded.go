package google

import (
	"context"
	"unicode/utf8"

	"kopi/rules"
)

// The JSON a commit's batchUpdate carries per record, as the official
// client encodes it (encoding/json, HTML-escaping on). Each figure rounds
// up what the request holds, so the estimate is an upper bound:
//   - a written cell: {"userEnteredValue":{"stringValue":"…"}}, plus a comma;
//   - an empty cell of a full-width state record: {}, plus a comma;
//   - a row: {"values":[…]}, plus a comma;
//   - an update of a record in place: {"updateCells":{"fields":…,"rows":[…],"start":{…}}};
//   - a row anchor: a createDeveloperMetadata request with its location;
//   - an overflow part: a record of five cells, and the marker in the cut cell;
//   - a delivery's ID, which the commit gives a new record.
const (
	cellBytes       = 48
	emptyCellBytes  = 3
	rowBytes        = 16
	inPlaceBytes    = 160
	anchorBytes     = 360
	overflowBytes   = 5*cellBytes + rowBytes + 160
	cursorBytes     = 400
	defaultColumns  = 64
	perRequestBytes = 64
	// idBytes is a delivery's ID cell, filled in by the commit for a
	// new record (a decimal number).
	idBytes = cellBytes + 20
)

// CommitBytes is an upper bound on the bytes ch adds to the body of the
// batchUpdate Commit sends for it: every cell, row, anchor and overflow
// part, escaped as the client escapes them. It is additive (the changes
// of two commits cost the sum of their costs), so a cycle can pack a
// backlog into commits that each stay under the size Google recommends
// ("To speed up requests, we recommend a 2 MB maximum payload",
// developers.google.com/workspace/sheets/api/limits). The request's
// envelope — the list of requests, the insert ranges, the read-back of
// the layout — adds a fixed amount of well under a kilobyte besides.
func (tx *TrackerTx) CommitBytes(ch *rules.Changes) int {
	t := tx.t
	n := 0
	for _, u := range ch.Updates {
		n += tx.UpdateBytes(u)
	}
	caseWidth := tx.width(t.cases.Title)
	for _, c := range ch.NewCases {
		n += valuesBytes(t.caseValues(c, nil), caseWidth) + anchorBytes
	}
	stateWidth := tx.width(StateTab.Title)
	record := func(id string, values map[string]string) {
		n += valuesBytes(values, stateWidth)
		if _, ok := tx.records[id]; ok {
			n += inPlaceBytes
		}
	}
	for _, e := range ch.Ledger {
		record(ledgerRecord(e), ledgerValues(e))
	}
	for _, d := range ch.Outbox {
		// a new record's ID (given by the commit) takes a few bytes more
		record(deliveryRecord(d), deliveryValues(d))
		n += idBytes
	}
	for _, f := range ch.Flows {
		record(flowRecord(f), flowValues(f))
	}
	if !ch.Cursor.IsZero() {
		n += cursorBytes
	}
	histWidth := tx.width(HistoryTab.Title)
	for _, h := range ch.History {
		n += valuesBytes(historyValues(h, t.loc), histWidth)
	}
	for _, a := range ch.Anchors {
		n += anchorBytes
		for _, v := range t.sopViewValues(a.View) {
			n += inPlaceBytes + cellBytes + jsonStringBytes(v)
		}
	}
	return n + perRequestBytes
}

// width is the number of columns of a table as last read (an upper
// guess before the first read).
func (tx *TrackerTx) width(title string) int {
	tb := tx.tables[title]
	if tb == nil {
		return defaultColumns
	}
	w := 0
	for _, col := range tb.Columns {
		w = max(w, col+1)
	}
	return w
}

// valuesBytes bounds the JSON of one row of values laid out over width
// columns, with the overflow records of values too long for a cell.
func valuesBytes(values map[string]string, width int) int {
	n := rowBytes + width*emptyCellBytes
	for _, v := range values {
		if v == "" {
			continue
		}
		n += cellBytes + jsonStringBytes(v)
		if l := utf16Len(v); l > MaxCellChars {
			n += (l/overflowChunk + 1) * overflowBytes
		}
	}
	return n
}

// jsonStringBytes is the length of s as encoding/json writes it inside
// quotes: '<', '>', '&', control characters, U+2028, U+2029 and each
// byte of invalid UTF-8 take six bytes ("\u003c"), '"' and '\' two.
func jsonStringBytes(s string) int {
	n := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case b == '"' || b == '\\' || b == '\n' || b == '\r' || b == '\t':
				n += 2
			case b < 0x20 || b == '<' || b == '>' || b == '&':
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == '\u2028', r == '\u2029':
			n += 6
		default:
			n += size
		}
		i += size
	}
	return n
}

// CommitPart is Commit for one part of a backlog taken in several
// commits, when more follow in the same cycle: the part is as atomic as
// any commit, but its response does not read the layout back — the last
// part, sent with Commit, reads it once for all of the cycle's rows.
func (tx *TrackerTx) CommitPart(ctx context.Context, ch *rules.Changes) error {
	tx.part = true
	defer func() { tx.part = false }()
	return tx.Commit(ctx, ch)
}

// UpdateBytes bounds the bytes one row update adds to the commit that
// writes it (google/row_write.go): per cell its updateCells request (a
// run of one, at most), the value, its listing in the row-write journal
// (a row of four cells: ticket, field, value, position), and the
// overflow records of a value too long for a cell.
func (tx *TrackerTx) UpdateBytes(u rules.CaseUpdate) int {
	n := 0
	tk := jsonStringBytes(u.Case.Ticket.String())
	for key, v := range tx.t.caseValues(u.Case, u.Fields) {
		value := jsonStringBytes(v)
		n += inPlaceBytes + cellBytes + value
		n += 4*cellBytes + rowBytes + tk + jsonStringBytes(key) + value + 24
		if l := utf16Len(v); l > MaxCellChars {
			n += (l/overflowChunk + 1) * overflowBytes
		}
	}
	return n
}

// DeliveryBytes bounds the bytes one delivery adds to the batchUpdate
// SaveDeliveries sends (its record written over in place), so a cycle
// can keep each request under the size Google recommends, as with
// CommitBytes.
func (tx *TrackerTx) DeliveryBytes(d rules.Delivery) int {
	return valuesBytes(deliveryValues(d), tx.width(StateTab.Title)) + inPlaceBytes
}
