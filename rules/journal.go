package rules

// kopi writes existing rows at the positions its read found; a sort,
// insert or delete by staff between the read and the write puts the
// write on another row. With the write, in the same atomic batch, kopi
// keeps a copy of the tab's values and the cells it writes
// (google/journal.go). When the daemon dies before checking the write,
// JournalRepairs decides, from those and the tab as it stands, which
// cells to put back.

// WrittenCell is one cell kopi wrote: the case (its ticket), the field
// and the value as the cell holds it.
type WrittenCell struct {
	Ticket, Field, Value string
}

// PutBack is the ticket a WrittenCell carries when kopi wrote it to give
// a row without a ticket back what it held (a recovery's put-back), not
// as a case's value.
const PutBack = "-"

// JournalRow is a row of the tab as it stands now: the ticket its cell
// shows ("" when it shows none) and its cells by field.
type JournalRow struct {
	Ticket string
	Cells  map[string]string
	// For a row showing no ticket (a row staff keep without one, or a
	// blank row): Was is its cells by field as the copy showed them,
	// found by the row's cells outside the fields kopi wrote (nil when
	// the copy shows no such row, or several that differ in those
	// fields); Blank says the row shows nothing outside those fields.
	Was   map[string]string
	Blank bool
}

// CellLeft is a cell of a row showing no ticket that holds a value kopi
// wrote for a case, which JournalRepairs cannot put back: the copy shows
// no row, or several different rows, with the row's other cells.
type CellLeft struct {
	Row   int
	Field string
}

// CellFix is a cell to write: the row (an index into the rows given),
// the field and the value.
type CellFix struct {
	Row          int
	Field, Value string
}

// JournalRepairs decides which cells to put back after writes that may
// have landed on other rows. written are the cells kopi wrote, in order
// (a later value of the same case and field replaces an earlier one);
// before is each case's row as the copy taken before the writes showed
// it (a case shown on no row, or on several, is left out); rows are the
// rows as they stand, each shown ticket on one row only. For each field
// kopi wrote, a row of a case in before:
//
//   - showing the value kopi wrote for it, or what it held before, is
//     right — except that a case kopi wrote and whose row still holds
//     its old value gets the value written for it (its write went
//     elsewhere);
//   - showing a value kopi wrote for another case (and never for this
//     one) got another case's write: it gets its own written value, or
//     what it held before;
//   - showing anything else was typed by staff since, and is left alone.
//
// A row showing no ticket that holds a value kopi wrote in that field
// got a write that was not its own: it gets back what the copy showed on
// the row with its other cells (Was), or is cleared if it shows nothing
// else (a blank row, or one inserted since the copy). One the copy
// cannot tell (no row, or several differing rows, with its other cells)
// is left as it is and returned in left: the caller says so to the
// operator. Rows of cases the copy does not know (rows added since) are
// left alone.
func JournalRepairs(written []WrittenCell, before map[string]map[string]string, rows []JournalRow) (fixes []CellFix, left []CellLeft) {
	type key struct{ ticket, field string }
	own := map[key]string{}                            // the last value written for a case's field
	ownAll := map[key]map[string]bool{}                // every value written for it
	byField := map[string]map[string]map[string]bool{} // field → value → tickets written it
	var fields []string
	for _, w := range written {
		k := key{w.Ticket, w.Field}
		own[k] = w.Value
		if ownAll[k] == nil {
			ownAll[k] = map[string]bool{}
		}
		ownAll[k][w.Value] = true
		if byField[w.Field] == nil {
			byField[w.Field] = map[string]map[string]bool{}
			fields = append(fields, w.Field)
		}
		if byField[w.Field][w.Value] == nil {
			byField[w.Field][w.Value] = map[string]bool{}
		}
		byField[w.Field][w.Value][w.Ticket] = true
	}
	for i, r := range rows {
		for _, f := range fields {
			cur := r.Cells[f]
			if r.Ticket == "" {
				if cur == "" || len(byField[f][cur]) == 0 {
					continue
				}
				if r.Was == nil && len(byField[f][cur]) == 1 && byField[f][cur][PutBack] {
					continue // what a put-back gave a row without a ticket, and no copy says otherwise
				}
				switch {
				case r.Was != nil:
					if r.Was[f] != cur {
						fixes = append(fixes, CellFix{Row: i, Field: f, Value: r.Was[f]})
					}
				case r.Blank:
					fixes = append(fixes, CellFix{Row: i, Field: f, Value: ""})
				default:
					left = append(left, CellLeft{Row: i, Field: f})
				}
				continue
			}
			pre, known := before[r.Ticket]
			if !known {
				continue
			}
			k := key{r.Ticket, f}
			mine, wrote := own[k]
			var want string
			switch {
			case wrote && cur == mine:
				continue
			case cur == pre[f]:
				if !wrote {
					continue
				}
				want = mine // its own write went elsewhere
			case ownAll[k][cur]:
				continue
			case len(byField[f][cur]) > 0:
				want = pre[f]
				if wrote {
					want = mine
				}
			default:
				continue // typed by staff since
			}
			if want != cur {
				fixes = append(fixes, CellFix{Row: i, Field: f, Value: want})
			}
		}
	}
	return fixes, left
}
