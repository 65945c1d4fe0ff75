package fake

import (
	"encoding/json"
	"slices"

	"google.golang.org/api/sheets/v4"
)

// objectIDTaken reports whether a protected range or embedded object of
// the spreadsheet already uses id.
func (ss *spreadsheet) objectIDTaken(id int64) bool {
	for _, t := range ss.tabs {
		for _, p := range t.protected {
			if p.ProtectedRangeId == id {
				return true
			}
		}
		for _, c := range t.charts {
			if c.ChartId == id {
				return true
			}
		}
	}
	return false
}

func (ss *spreadsheet) newObjectID(s *Server) int64 {
	for {
		if id := s.randomInt31(); !ss.objectIDTaken(id) {
			return id
		}
	}
}

// findProtected locates a protected range by id.
func (ss *spreadsheet) findProtected(id int64) (*tab, int) {
	for _, t := range ss.tabs {
		for i, p := range t.protected {
			if p.ProtectedRangeId == id {
				return t, i
			}
		}
	}
	return nil, -1
}

// normalizeProtected applies the documented editor rules: warning-only
// protection has no editors; otherwise the owner can always edit.
func (op *batchOp) normalizeProtected(p *sheets.ProtectedRange) (*tab, error) {
	if p.NamedRangeId != "" {
		return nil, op.fail("No named range with id: %s", p.NamedRangeId)
	}
	if p.TableId != "" {
		return nil, op.fail("No table with id: %s", p.TableId)
	}
	sp, err := op.gridRange(p.Range)
	if err != nil {
		return nil, err
	}
	for _, u := range p.UnprotectedRanges {
		if u.SheetId != sp.tab.props.SheetId {
			return nil, op.fail("Unprotected ranges must be on the protected sheet.")
		}
		if _, err := op.gridRange(u); err != nil {
			return nil, err
		}
	}
	if p.WarningOnly {
		p.Editors = nil
	} else if p.Editors == nil {
		p.Editors = &sheets.Editors{Users: []string{op.s.opts.Account}}
	}
	p.RequestingUserCanEdit = true
	return sp.tab, nil
}

func batchAddProtectedRange(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	if r.AddProtectedRange.ProtectedRange == nil {
		return nil, op.fail("protectedRange is required.")
	}
	p := *r.AddProtectedRange.ProtectedRange
	if op.has("protectedRange", "protectedRangeId") {
		if op.ss.objectIDTaken(p.ProtectedRangeId) {
			return nil, op.fail("A protected range with id %d already exists.", p.ProtectedRangeId)
		}
	} else {
		p.ProtectedRangeId = op.ss.newObjectID(op.s)
	}
	t, err := op.normalizeProtected(&p)
	if err != nil {
		return nil, err
	}
	t.protected = append(t.protected, &p)
	out := p
	return &sheets.Response{AddProtectedRange: &sheets.AddProtectedRangeResponse{ProtectedRange: &out}}, nil
}

func batchUpdateProtectedRange(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	u := r.UpdateProtectedRange
	if u.ProtectedRange == nil {
		return nil, op.fail("protectedRange is required.")
	}
	t, i := op.ss.findProtected(u.ProtectedRange.ProtectedRangeId)
	if t == nil {
		return nil, op.fail("No protected range with id: %d", u.ProtectedRange.ProtectedRangeId)
	}
	next, err := maskMerge(op, t.protected[i], u.ProtectedRange, u.Fields)
	if err != nil {
		return nil, err
	}
	next.ProtectedRangeId = t.protected[i].ProtectedRangeId
	nt, err := op.normalizeProtected(next)
	if err != nil {
		return nil, err
	}
	t.protected = slices.Delete(t.protected, i, i+1)
	nt.protected = append(nt.protected, next)
	return nil, nil
}

func batchDeleteProtectedRange(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	id := r.DeleteProtectedRange.ProtectedRangeId
	t, i := op.ss.findProtected(id)
	if t == nil {
		return nil, op.fail("No protected range with id: %d", id)
	}
	t.protected = slices.Delete(t.protected, i, i+1)
	return nil, nil
}

func batchAddChart(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	if r.AddChart.Chart == nil {
		return nil, op.fail("chart is required.")
	}
	ch := *r.AddChart.Chart
	if ch.Spec == nil {
		return nil, op.fail("The chart needs a spec.")
	}
	pos := ch.Position
	var sheetID int64
	switch {
	case pos == nil:
		return nil, op.fail("The chart needs a position.")
	case pos.NewSheet:
		return nil, op.fail("Charts on a new sheet are not supported by kopi's fake Workspace.")
	case op.has("chart", "position", "sheetId"):
		sheetID = pos.SheetId
	case pos.OverlayPosition != nil && pos.OverlayPosition.AnchorCell != nil:
		sheetID = pos.OverlayPosition.AnchorCell.SheetId
	default:
		return nil, op.fail("The chart's position must set sheetId, overlayPosition or newSheet.")
	}
	t := op.ss.tabByID(sheetID)
	if t == nil {
		return nil, op.fail("No grid with id: %d", sheetID)
	}
	// Every sheet the spec's data ranges name must exist.
	var spec any
	b, _ := json.Marshal(ch.Spec)
	_ = json.Unmarshal(b, &spec)
	if id, ok := missingSheet(op.ss, spec); !ok {
		return nil, op.fail("No grid with id: %d", id)
	}
	if op.has("chart", "chartId") {
		if op.ss.objectIDTaken(ch.ChartId) {
			return nil, op.fail("An object with id %d already exists.", ch.ChartId)
		}
	} else {
		ch.ChartId = op.ss.newObjectID(op.s)
	}
	t.charts = append(t.charts, &ch)
	out := ch
	return &sheets.Response{AddChart: &sheets.AddChartResponse{Chart: &out}}, nil
}

// missingSheet walks decoded JSON for "sheetId" fields naming no tab.
func missingSheet(ss *spreadsheet, v any) (int64, bool) {
	switch x := v.(type) {
	case map[string]any:
		if id, ok := x["sheetId"].(float64); ok && ss.tabByID(int64(id)) == nil {
			return int64(id), false
		}
		for _, e := range x {
			if id, ok := missingSheet(ss, e); !ok {
				return id, false
			}
		}
	case []any:
		for _, e := range x {
			if id, ok := missingSheet(ss, e); !ok {
				return id, false
			}
		}
	}
	return 0, true
}

func spansIntersect(a, b gridSpan) bool {
	return a.r0 < b.r1 && b.r0 < a.r1 && a.c0 < b.c1 && b.c0 < a.c1
}

func spanContains(outer, inner gridSpan) bool {
	return outer.r0 <= inner.r0 && inner.r1 <= outer.r1 && outer.c0 <= inner.c0 && inner.c1 <= outer.c1
}

func (t *tab) mergeSpan(g *sheets.GridRange) gridSpan {
	sp := gridSpan{tab: t, r0: g.StartRowIndex, r1: g.EndRowIndex, c0: g.StartColumnIndex, c1: g.EndColumnIndex}
	if sp.r1 == 0 {
		sp.r1 = t.rowCount()
	}
	if sp.c1 == 0 {
		sp.c1 = t.colCount()
	}
	return sp
}

func batchMergeCells(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	m := r.MergeCells
	sp, err := op.gridRange(m.Range)
	if err != nil {
		return nil, err
	}
	var parts []gridSpan
	switch m.MergeType {
	case "", "MERGE_ALL":
		parts = []gridSpan{sp}
	case "MERGE_COLUMNS":
		for c := sp.c0; c < sp.c1; c++ {
			parts = append(parts, gridSpan{tab: sp.tab, r0: sp.r0, r1: sp.r1, c0: c, c1: c + 1})
		}
	case "MERGE_ROWS":
		for row := sp.r0; row < sp.r1; row++ {
			parts = append(parts, gridSpan{tab: sp.tab, r0: row, r1: row + 1, c0: sp.c0, c1: sp.c1})
		}
	}
	t := sp.tab
	var kept []*sheets.GridRange
	for _, g := range t.merges {
		old := t.mergeSpan(g)
		if !spansIntersect(old, sp) {
			kept = append(kept, g)
			continue
		}
		if !spanContains(sp, old) {
			return nil, op.fail("You can't merge cells that partially overlap an existing merge.")
		}
	}
	for _, p := range parts {
		if (p.r1-p.r0)*(p.c1-p.c0) < 2 {
			continue
		}
		kept = append(kept, &sheets.GridRange{SheetId: t.props.SheetId,
			StartRowIndex: p.r0, EndRowIndex: p.r1, StartColumnIndex: p.c0, EndColumnIndex: p.c1})
	}
	t.merges = kept
	return nil, nil
}

func batchUnmergeCells(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	sp, err := op.gridRange(r.UnmergeCells.Range)
	if err != nil {
		return nil, err
	}
	t := sp.tab
	var kept []*sheets.GridRange
	for _, g := range t.merges {
		old := t.mergeSpan(g)
		switch {
		case !spansIntersect(old, sp):
			kept = append(kept, g)
		case !spanContains(sp, old):
			return nil, op.fail("You must select all cells in a merged range to merge or unmerge them.")
		}
	}
	t.merges = kept
	return nil, nil
}

func batchAddConditionalFormatRule(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	a := r.AddConditionalFormatRule
	rule := a.Rule
	if rule == nil || len(rule.Ranges) == 0 {
		return nil, op.fail("A conditional format rule needs at least one range.")
	}
	if (rule.BooleanRule == nil) == (rule.GradientRule == nil) {
		return nil, op.fail("Exactly one of booleanRule or gradientRule must be set.")
	}
	var t *tab
	for _, g := range rule.Ranges {
		sp, err := op.gridRange(g)
		if err != nil {
			return nil, err
		}
		if t != nil && sp.tab != t {
			return nil, op.fail("All ranges of a conditional format rule must be on the same sheet.")
		}
		t = sp.tab
	}
	if a.Index < 0 || a.Index > int64(len(t.conditions)) {
		return nil, op.fail("Invalid conditional format rule index %d.", a.Index)
	}
	c := *rule
	t.conditions = slices.Insert(t.conditions, int(a.Index), &c)
	return nil, nil
}
