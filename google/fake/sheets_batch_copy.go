package fake

import (
	"google.golang.org/api/sheets/v4"
)

// batchCopyPaste copies the cells of a source range to a destination
// range, within a tab or across tabs. Google documents: "If the range
// covers a span that's a multiple of the source's height or width, then
// the data will be repeated to fill in the destination range. If the
// range is smaller than the source range, the entire source data will
// still be copied (beyond the end of the destination range)." The fake
// pastes the source once at the destination's top-left corner, which is
// what both cases do for a destination of the source's size or smaller,
// and refuses a paste that would leave the grid. Developer metadata
// lives on rows and columns, not on cells, so it is not copied.
// PASTE_NORMAL copies values, formulas, formats and notes; PASTE_VALUES
// only the entered values; PASTE_FORMAT only the formats.
func batchCopyPaste(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	c := r.CopyPaste
	src, err := op.gridRange(c.Source)
	if err != nil {
		return nil, err
	}
	dst, err := op.gridRange(c.Destination)
	if err != nil {
		return nil, err
	}
	switch c.PasteOrientation {
	case "", "NORMAL":
	default:
		return nil, op.fail("pasteOrientation %q is not supported by kopi's fake Workspace.", c.PasteOrientation)
	}
	h, w := src.r1-src.r0, src.c1-src.c0
	if dst.r0+h > dst.tab.rowCount() || dst.c0+w > dst.tab.colCount() {
		return nil, op.fail("Range (%s) exceeds grid limits. Max rows: %d, max columns: %d",
			spanA1(dst.tab, dst.r0, dst.r0+h, dst.c0, dst.c0+w), dst.tab.rowCount(), dst.tab.colCount())
	}
	// Read the whole source first: source and destination may overlap.
	cells := make([][]*sheets.CellData, h)
	for i := range cells {
		cells[i] = make([]*sheets.CellData, w)
		for j := range cells[i] {
			cd := src.tab.cell(src.r0+int64(i), src.c0+int64(j))
			if c.PasteType == "PASTE_VALUES" && cd != nil && cd.UserEnteredValue != nil && cd.UserEnteredValue.FormulaValue != nil {
				// "Paste the values ONLY without formats, formulas, or
				// merges": a formula's value as computed now.
				v := *cd
				v.UserEnteredValue = op.ss.evalCell(src.tab, src.r0+int64(i), src.c0+int64(j)).value
				cd = &v
			}
			cells[i][j] = cd
		}
	}
	for i := range cells {
		for j, cd := range cells[i] {
			next, err := pasted(op, dst.tab.cell(dst.r0+int64(i), dst.c0+int64(j)), cd, c.PasteType)
			if err != nil {
				return nil, err
			}
			if next != nil || dst.tab.hasCell(dst.r0+int64(i), dst.c0+int64(j)) {
				dst.tab.setCell(dst.r0+int64(i), dst.c0+int64(j), next)
			}
		}
	}
	return nil, op.ss.checkCellLimit()
}

// pasted is the destination cell after pasting src over old.
func pasted(op *batchOp, old, src *sheets.CellData, pasteType string) (*sheets.CellData, error) {
	var next sheets.CellData
	switch pasteType {
	case "", "PASTE_NORMAL":
		if src != nil {
			next = *src
		}
	case "PASTE_VALUES":
		if old != nil {
			next = *old
		}
		next.UserEnteredValue = nil
		if src != nil {
			next.UserEnteredValue = src.UserEnteredValue
		}
	case "PASTE_FORMAT":
		if old != nil {
			next = *old
		}
		next.UserEnteredFormat = nil
		if src != nil {
			next.UserEnteredFormat = src.UserEnteredFormat
		}
	default:
		return nil, op.fail("pasteType %q is not supported by kopi's fake Workspace.", pasteType)
	}
	next.EffectiveValue, next.FormattedValue, next.EffectiveFormat = nil, "", nil
	if isEmptyCell(&next) {
		return nil, nil
	}
	return &next, nil
}
