package fake

import (
	"cmp"
	"slices"
	"strings"

	"google.golang.org/api/sheets/v4"
)

// sortKey is a cell's value as Sheets orders it: numbers before text
// before booleans, text compared case-insensitively, empty cells last in
// either direction.
type sortKey struct {
	class int // 0 number, 1 text, 2 boolean, 3 empty
	num   float64
	text  string
}

func cellSortKey(cd *sheets.CellData) sortKey {
	if cd == nil {
		return sortKey{class: 3}
	}
	v := cd.EffectiveValue
	if v == nil {
		v = cd.UserEnteredValue
	}
	switch {
	case v == nil:
		return sortKey{class: 3}
	case v.NumberValue != nil:
		return sortKey{class: 0, num: *v.NumberValue}
	case v.StringValue != nil:
		if *v.StringValue == "" {
			return sortKey{class: 3}
		}
		return sortKey{class: 1, text: strings.ToLower(*v.StringValue)}
	case v.BoolValue != nil:
		if *v.BoolValue {
			return sortKey{class: 2, num: 1}
		}
		return sortKey{class: 2}
	case v.FormulaValue != nil:
		// Unevaluated formulas sort by their text.
		return sortKey{class: 1, text: strings.ToLower(*v.FormulaValue)}
	}
	return sortKey{class: 3}
}

// compareSortKeys orders two non-empty keys.
func compareSortKeys(a, b sortKey, desc bool) int {
	c := cmp.Compare(a.class, b.class)
	if c == 0 {
		c = cmp.Compare(a.num, b.num)
	}
	if c == 0 {
		c = strings.Compare(a.text, b.text)
	}
	if desc {
		c = -c
	}
	return c
}

func batchSortRange(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	sr := r.SortRange
	sp, err := op.gridRange(sr.Range)
	if err != nil {
		return nil, err
	}
	specs := sr.SortSpecs
	if len(specs) == 0 {
		specs = []*sheets.SortSpec{{DimensionIndex: sp.c0, SortOrder: "ASCENDING"}}
	}
	for _, s := range specs {
		if s.BackgroundColor != nil || s.BackgroundColorStyle != nil || s.ForegroundColor != nil ||
			s.ForegroundColorStyle != nil || s.DataSourceColumnReference != nil {
			return nil, op.fail("Sorting by color or data source column is not supported by kopi's fake Workspace.")
		}
		if s.DimensionIndex < sp.c0 || s.DimensionIndex >= sp.c1 {
			return nil, op.fail("The sort dimension index %d is outside the range being sorted.", s.DimensionIndex)
		}
	}
	op.ss.sorts++
	t := sp.tab
	perm := make([]int64, sp.r1-sp.r0)
	for i := range perm {
		perm[i] = sp.r0 + int64(i)
	}
	slices.SortStableFunc(perm, func(a, b int64) int {
		for _, s := range specs {
			ka, kb := cellSortKey(t.cell(a, s.DimensionIndex)), cellSortKey(t.cell(b, s.DimensionIndex))
			// Empty cells go last whatever the order.
			if ea, eb := ka.class == 3, kb.class == 3; ea || eb {
				if ea == eb {
					continue
				}
				if ea {
					return 1
				}
				return -1
			}
			if c := compareSortKeys(ka, kb, s.SortOrder == "DESCENDING"); c != 0 {
				return c
			}
		}
		return 0
	})
	// Snapshot the old cells and metadata before rewriting the rows.
	oldCells := make([][]*sheets.CellData, len(perm))
	oldMeta := make([][]*sheets.DeveloperMetadata, len(perm))
	for i := range perm {
		row := t.rows[sp.r0+int64(i)]
		oldCells[i] = make([]*sheets.CellData, sp.c1-sp.c0)
		for c := sp.c0; c < sp.c1; c++ {
			oldCells[i][c-sp.c0] = t.cell(sp.r0+int64(i), c)
		}
		oldMeta[i] = row.meta
	}
	for i, from := range perm {
		at := sp.r0 + int64(i)
		for c := sp.c0; c < sp.c1; c++ {
			t.setCell(at, c, oldCells[from-sp.r0][c-sp.c0])
		}
		// Row metadata follows its row's data unless the server is set to
		// leave it at its index.
		if !op.s.opts.SortLeavesMetadata {
			row := t.mutRow(at)
			row.meta = oldMeta[from-sp.r0]
			for _, m := range row.meta {
				op.ss.indexMeta(m.MetadataId, metaHome{sheetID: t.props.SheetId, kind: homeRow, key: row.key})
			}
		}
	}
	return nil, nil
}
