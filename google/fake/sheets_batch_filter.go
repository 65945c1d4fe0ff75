package fake

import (
	"slices"
	"strconv"

	"google.golang.org/api/sheets/v4"
)

// A tab's basic filter, as staff set it in the Sheets UI (Data → Create
// a filter) or with setBasicFilter: "The default filter associated with
// a sheet" (BasicFilter), its range's first row the header. A filter
// hides the rows whose value in a column is one of that column's
// hiddenValues ("Values that should be hidden", FilterCriteria), and
// spreadsheets.get says so in each row's metadata ("hiddenByFilter:
// True if this dimension is being filtered", DimensionProperties); the
// values and their row metadata stay where they are, and every read
// still returns them. The fake evaluates the criteria when the filter is
// set, as the UI does when staff choose them; a value typed later into a
// hidden or shown row does not re-filter (the UI re-applies a filter
// only when staff change it). Conditions (condition, visibleBackground…)
// are not modelled: setting them fails loudly rather than filtering
// differently from Google.

// batchSetBasicFilter sets (or replaces) a tab's basic filter and hides
// the rows its criteria name.
func batchSetBasicFilter(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	f := r.SetBasicFilter.Filter
	if f == nil || f.Range == nil {
		return nil, op.fail("A basic filter needs a range.")
	}
	if f.TableId != "" {
		return nil, op.fail("Tables are not supported by kopi's fake Workspace.")
	}
	sp, err := op.gridRange(f.Range)
	if err != nil {
		return nil, err
	}
	hidden := map[int64][]string{} // column → hidden values
	add := func(col string, c *sheets.FilterCriteria) error {
		if c == nil {
			return nil
		}
		if c.Condition != nil || c.VisibleBackgroundColor != nil || c.VisibleBackgroundColorStyle != nil ||
			c.VisibleForegroundColor != nil || c.VisibleForegroundColorStyle != nil {
			return op.fail("Filter conditions and colors are not supported by kopi's fake Workspace.")
		}
		i, err := strconv.ParseInt(col, 10, 64)
		if err != nil || i < sp.c0 || i >= sp.c1 {
			return op.fail("Invalid filter column %q: it must be inside the filter's range.", col)
		}
		hidden[i] = append(hidden[i], c.HiddenValues...)
		return nil
	}
	for col, c := range f.Criteria {
		if err := add(col, &c); err != nil {
			return nil, err
		}
	}
	for _, s := range f.FilterSpecs {
		if s.DataSourceColumnReference != nil {
			return nil, op.fail("Data source columns are not supported by kopi's fake Workspace.")
		}
		if err := add(strconv.FormatInt(s.ColumnIndex, 10), s.FilterCriteria); err != nil {
			return nil, err
		}
	}
	t := sp.tab
	t.unfilter()
	c := *f
	g := *f.Range
	c.Range = &g
	t.filter = &c
	render := newRenderOpts("FORMATTED_VALUE", "")
	for row := sp.r0 + 1; row < sp.r1; row++ {
		hide := false
		for col, vals := range hidden {
			text, _ := op.ss.renderValue(t, row, col, render).(string)
			hide = hide || slices.Contains(vals, text)
		}
		if hide {
			t.setHiddenByFilter(row, true)
		}
	}
	return nil, nil
}

// batchClearBasicFilter removes a tab's basic filter: its rows show again.
func batchClearBasicFilter(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	t := op.ss.tabByID(r.ClearBasicFilter.SheetId)
	if t == nil {
		return nil, op.fail("No grid with id: %d", r.ClearBasicFilter.SheetId)
	}
	t.unfilter()
	t.filter = nil
	return nil, nil
}

// unfilter shows every row the filter hid.
func (t *tab) unfilter() {
	for i, row := range t.rows {
		if row.props != nil && row.props.HiddenByFilter {
			t.setHiddenByFilter(int64(i), false)
		}
	}
}

func (t *tab) setHiddenByFilter(r int64, hidden bool) {
	row := t.mutRow(r)
	p := &sheets.DimensionProperties{}
	if row.props != nil {
		c := *row.props
		p = &c
	}
	p.HiddenByFilter = hidden
	row.props = p
}
