package fake

import (
	"slices"
	"strconv"

	"google.golang.org/api/sheets/v4"
)

// Developer metadata is stored without a location on the object it is
// attached to (the spreadsheet, a tab, a gridRow or gridCol), so it moves
// with rows and columns; its Location is computed from current indexes
// whenever it is returned.

// metaMatch is one developer metadata entry and where it is attached.
type metaMatch struct {
	meta *sheets.DeveloperMetadata // Location is filled with current indexes
	tab  *tab                      // nil for spreadsheet-located metadata
	row  *gridRow                  // set for row-located metadata
	col  *gridCol                  // set for column-located metadata
	at   int64                     // the row's or column's current index
}

func (m metaMatch) locationType() string {
	switch {
	case m.tab == nil:
		return "SPREADSHEET"
	case m.row != nil:
		return "ROW"
	case m.col != nil:
		return "COLUMN"
	}
	return "SHEET"
}

// locatedMeta copies stored metadata with its location filled in.
func locatedMeta(m *sheets.DeveloperMetadata, loc *sheets.DeveloperMetadataLocation) *sheets.DeveloperMetadata {
	c := *m
	c.Location = loc
	return &c
}

func dimLocation(t *tab, dim string, at int64) *sheets.DeveloperMetadataLocation {
	lt := "ROW"
	if dim == "COLUMNS" {
		lt = "COLUMN"
	}
	return &sheets.DeveloperMetadataLocation{LocationType: lt, DimensionRange: &sheets.DimensionRange{
		SheetId: t.props.SheetId, Dimension: dim, StartIndex: at, EndIndex: at + 1,
	}}
}

// allMetadata lists every entry in a stable order: the spreadsheet's,
// then per tab the sheet's, its rows' and its columns'.
func (ss *spreadsheet) allMetadata() []metaMatch {
	var out []metaMatch
	for _, m := range ss.meta {
		out = append(out, metaMatch{meta: locatedMeta(m, &sheets.DeveloperMetadataLocation{LocationType: "SPREADSHEET", Spreadsheet: true})})
	}
	for _, t := range ss.tabs {
		for _, m := range t.meta {
			out = append(out, metaMatch{tab: t, meta: locatedMeta(m, &sheets.DeveloperMetadataLocation{LocationType: "SHEET", SheetId: t.props.SheetId})})
		}
		for i, r := range t.rows {
			for _, m := range r.meta {
				out = append(out, metaMatch{tab: t, row: r, at: int64(i), meta: locatedMeta(m, dimLocation(t, "ROWS", int64(i)))})
			}
		}
		for i, c := range t.cols {
			for _, m := range c.meta {
				out = append(out, metaMatch{tab: t, col: c, at: int64(i), meta: locatedMeta(m, dimLocation(t, "COLUMNS", int64(i)))})
			}
		}
	}
	return out
}

// metaHome is where an entry is stored, by identities that survive
// copies and moves: the tab's sheetId and the row's or column's key.
type metaHome struct {
	sheetID int64
	kind    homeKind
	key     uint64 // row or column key
}

type homeKind uint8

const (
	homeSpreadsheet homeKind = iota
	homeSheet
	homeRow
	homeCol
)

// metaIndex returns the id index, building it from the model when it was
// dropped. Every placement of an entry (create, update, a sort moving
// row metadata) records its home; a deletion may leave a stale entry,
// which metaByID recognises and removes.
func (ss *spreadsheet) metaIndex() map[int64]metaHome {
	if ss.metaIdx != nil {
		return ss.metaIdx
	}
	idx := map[int64]metaHome{}
	for _, m := range ss.meta {
		idx[m.MetadataId] = metaHome{kind: homeSpreadsheet}
	}
	for _, t := range ss.tabs {
		id := t.props.SheetId
		for _, m := range t.meta {
			idx[m.MetadataId] = metaHome{sheetID: id, kind: homeSheet}
		}
		for _, r := range t.rows {
			for _, m := range r.meta {
				idx[m.MetadataId] = metaHome{sheetID: id, kind: homeRow, key: r.key}
			}
		}
		for _, c := range t.cols {
			for _, m := range c.meta {
				idx[m.MetadataId] = metaHome{sheetID: id, kind: homeCol, key: c.key}
			}
		}
	}
	ss.metaIdx = idx
	return idx
}

// indexMeta records where the entry with the given id now lives.
func (ss *spreadsheet) indexMeta(id int64, h metaHome) { ss.metaIndex()[id] = h }

// metaByID finds one entry by id without scanning the spreadsheet.
func (ss *spreadsheet) metaByID(id int64) (metaMatch, bool) {
	idx := ss.metaIndex()
	h, ok := idx[id]
	if !ok {
		return metaMatch{}, false
	}
	find := func(list []*sheets.DeveloperMetadata) *sheets.DeveloperMetadata {
		for _, m := range list {
			if m.MetadataId == id {
				return m
			}
		}
		return nil
	}
	if h.kind == homeSpreadsheet {
		if m := find(ss.meta); m != nil {
			return metaMatch{meta: locatedMeta(m, &sheets.DeveloperMetadataLocation{LocationType: "SPREADSHEET", Spreadsheet: true})}, true
		}
	} else if t := ss.tabByID(h.sheetID); t != nil {
		switch h.kind {
		case homeSheet:
			if m := find(t.meta); m != nil {
				return metaMatch{tab: t, meta: locatedMeta(m, &sheets.DeveloperMetadataLocation{LocationType: "SHEET", SheetId: t.props.SheetId})}, true
			}
		case homeRow:
			if at, ok := t.rowIndex(h.key); ok {
				r := t.rows[at]
				if m := find(r.meta); m != nil {
					return metaMatch{tab: t, row: r, at: at, meta: locatedMeta(m, dimLocation(t, "ROWS", at))}, true
				}
			}
		case homeCol:
			if at, ok := t.colIndex(h.key); ok {
				c := t.cols[at]
				if m := find(c.meta); m != nil {
					return metaMatch{tab: t, col: c, at: at, meta: locatedMeta(m, dimLocation(t, "COLUMNS", at))}, true
				}
			}
		}
	}
	delete(idx, id) // its row, column or tab was deleted
	return metaMatch{}, false
}

// order is the match's place in allMetadata's order, for sorting a few
// matches without listing everything.
func (ss *spreadsheet) order(m metaMatch) [4]int64 {
	pos := func(list []*sheets.DeveloperMetadata) int64 {
		for i, x := range list {
			if x.MetadataId == m.meta.MetadataId {
				return int64(i)
			}
		}
		return 0
	}
	switch {
	case m.tab == nil:
		return [4]int64{0, 0, 0, pos(ss.meta)}
	case m.row != nil:
		return [4]int64{int64(ss.tabPos(m.tab)) + 1, 1, m.at, pos(m.row.meta)}
	case m.col != nil:
		return [4]int64{int64(ss.tabPos(m.tab)) + 1, 2, m.at, pos(m.col.meta)}
	}
	return [4]int64{int64(ss.tabPos(m.tab)) + 1, 0, 0, pos(m.tab.meta)}
}

// region is a block of one tab used for location matching.
type region struct {
	tab    *tab
	r0, r1 int64
	c0, c1 int64
}

// intersects reports whether metadata lies on a location intersecting the
// block: the tab itself, a row or a column crossing it. Spreadsheet
// metadata intersects no grid location.
func (m metaMatch) intersects(g region) bool {
	if m.tab == nil || m.tab != g.tab || g.r0 >= g.r1 || g.c0 >= g.c1 {
		return false
	}
	switch {
	case m.row != nil:
		return g.r0 <= m.at && m.at < g.r1
	case m.col != nil:
		return g.c0 <= m.at && m.at < g.c1
	}
	return true
}

// lookupMetadata returns the metadata matching every set field of l.
func (ss *spreadsheet) lookupMetadata(l *sheets.DeveloperMetadataLookup) ([]metaMatch, error) {
	strategy := l.LocationMatchingStrategy
	if strategy == "DEVELOPER_METADATA_LOCATION_MATCHING_STRATEGY_UNSPECIFIED" {
		strategy = ""
	}
	if strategy != "" && l.MetadataLocation == nil {
		return nil, invalidArgument("A metadataLocation must be specified when a locationMatchingStrategy is.")
	}
	if strategy == "" {
		strategy = "INTERSECTING_LOCATION"
	}
	if l.LocationType == "DEVELOPER_METADATA_LOCATION_TYPE_UNSPECIFIED" {
		l = &sheets.DeveloperMetadataLookup{MetadataId: l.MetadataId, MetadataKey: l.MetadataKey, MetadataValue: l.MetadataValue,
			Visibility: l.Visibility, MetadataLocation: l.MetadataLocation, LocationMatchingStrategy: l.LocationMatchingStrategy}
	}
	var where func(metaMatch) bool
	if loc := l.MetadataLocation; loc != nil {
		switch {
		case loc.Spreadsheet:
			where = func(m metaMatch) bool { return m.tab == nil }
		case loc.DimensionRange != nil:
			d := loc.DimensionRange
			t := ss.tabByID(d.SheetId)
			if t == nil {
				return nil, invalidArgument("No grid with id: %d", d.SheetId)
			}
			g := region{tab: t, r0: 0, r1: t.rowCount(), c0: 0, c1: t.colCount()}
			var isRow bool
			switch d.Dimension {
			case "ROWS":
				isRow = true
				g.r0, g.r1 = d.StartIndex, d.EndIndex
				if g.r1 == 0 {
					g.r1 = t.rowCount()
				}
			case "COLUMNS":
				g.c0, g.c1 = d.StartIndex, d.EndIndex
				if g.c1 == 0 {
					g.c1 = t.colCount()
				}
			default:
				return nil, invalidArgument("A dimension (ROWS or COLUMNS) must be specified.")
			}
			if strategy == "EXACT_LOCATION" {
				where = func(m metaMatch) bool {
					if m.tab != t {
						return false
					}
					if isRow {
						return m.row != nil && g.r0 == m.at && g.r1 == m.at+1
					}
					return m.col != nil && g.c0 == m.at && g.c1 == m.at+1
				}
			} else {
				where = func(m metaMatch) bool { return m.intersects(g) }
			}
		default:
			t := ss.tabByID(loc.SheetId)
			if t == nil {
				return nil, invalidArgument("No grid with id: %d", loc.SheetId)
			}
			if strategy == "EXACT_LOCATION" {
				where = func(m metaMatch) bool { return m.tab == t && m.row == nil && m.col == nil }
			} else {
				where = func(m metaMatch) bool { return m.tab == t }
			}
		}
		if l.LocationType == "SPREADSHEET" && !loc.Spreadsheet {
			return nil, invalidArgument("locationType SPREADSHEET cannot be combined with a non-spreadsheet metadataLocation.")
		}
	}
	candidates := func() []metaMatch {
		if l.MetadataId == 0 {
			return ss.allMetadata()
		}
		m, ok := ss.metaByID(l.MetadataId)
		if !ok {
			return nil
		}
		return []metaMatch{m}
	}
	var out []metaMatch
	for _, m := range candidates() {
		switch {
		case l.MetadataId != 0 && m.meta.MetadataId != l.MetadataId,
			l.MetadataKey != "" && m.meta.MetadataKey != l.MetadataKey,
			l.MetadataValue != "" && m.meta.MetadataValue != l.MetadataValue,
			l.Visibility != "" && l.Visibility != "DEVELOPER_METADATA_VISIBILITY_UNSPECIFIED" && m.meta.Visibility != l.Visibility,
			l.LocationType != "" && m.locationType() != l.LocationType,
			where != nil && !where(m):
			continue
		}
		out = append(out, m)
	}
	return out, nil
}

// metadataByFilter selects metadata with one DataFilter: a lookup selects
// what it matches, a range selects metadata on intersecting locations.
func (ss *spreadsheet) metadataByFilter(f *sheets.DataFilter) ([]metaMatch, error) {
	if f == nil {
		return nil, invalidArgument("A data filter is required.")
	}
	set := 0
	for _, b := range []bool{f.A1Range != "", f.GridRange != nil, f.DeveloperMetadataLookup != nil} {
		if b {
			set++
		}
	}
	if set != 1 {
		return nil, invalidArgument("A data filter must set exactly one of a1Range, gridRange or developerMetadataLookup.")
	}
	if f.DeveloperMetadataLookup != nil {
		return ss.lookupMetadata(f.DeveloperMetadataLookup)
	}
	var g region
	if f.GridRange != nil {
		gr := f.GridRange
		t := ss.tabByID(gr.SheetId)
		if t == nil {
			return nil, invalidArgument("No grid with id: %d", gr.SheetId)
		}
		g = region{tab: t, r0: gr.StartRowIndex, r1: gr.EndRowIndex, c0: gr.StartColumnIndex, c1: gr.EndColumnIndex}
		if g.r1 == 0 {
			g.r1 = t.rowCount()
		}
		if g.c1 == 0 {
			g.c1 = t.colCount()
		}
	} else {
		br, err := ss.parseA1(f.A1Range)
		if err != nil {
			return nil, invalidArgument("Unable to parse range: %s", f.A1Range)
		}
		g = region{tab: br.tab, r0: br.row0, r1: br.row1, c0: br.col0, c1: br.col1}
	}
	var out []metaMatch
	for _, m := range ss.allMetadata() {
		if m.intersects(g) {
			out = append(out, m)
		}
	}
	return out, nil
}

// metaSlice returns the slice that holds a match's stored metadata, and
// the home it stands for; a shared row or column is copied first.
func (ss *spreadsheet) metaSlice(m metaMatch) (*[]*sheets.DeveloperMetadata, metaHome) {
	switch {
	case m.tab == nil:
		return &ss.meta, metaHome{kind: homeSpreadsheet}
	case m.row != nil:
		r := m.tab.mutRow(m.at)
		return &r.meta, metaHome{sheetID: m.tab.props.SheetId, kind: homeRow, key: r.key}
	case m.col != nil:
		c := m.tab.mutCol(m.at)
		return &c.meta, metaHome{sheetID: m.tab.props.SheetId, kind: homeCol, key: c.key}
	}
	return &m.tab.meta, metaHome{sheetID: m.tab.props.SheetId, kind: homeSheet}
}

// detachMeta removes the stored entry with the match's id.
func (ss *spreadsheet) detachMeta(m metaMatch) {
	s, _ := ss.metaSlice(m)
	*s = slices.DeleteFunc(slices.Clone(*s), func(x *sheets.DeveloperMetadata) bool {
		return x.MetadataId == m.meta.MetadataId
	})
	delete(ss.metaIndex(), m.meta.MetadataId)
}

func (ss *spreadsheet) metaIDTaken(id int64) bool {
	_, ok := ss.metaByID(id)
	return ok
}

// metaTarget resolves a location given on create or update to the slice
// the metadata is stored in, its home and the location it is reported
// at. sheetSet tells whether sheetId was sent, since the clients omit
// sheetId 0.
func (op *batchOp) metaTarget(loc *sheets.DeveloperMetadataLocation, sheetSet bool) (*[]*sheets.DeveloperMetadata, metaHome, *sheets.DeveloperMetadataLocation, error) {
	target, err := op.metaTargetSlice(loc, sheetSet)
	if err != nil {
		return nil, metaHome{}, nil, err
	}
	switch {
	case loc.Spreadsheet:
		return target, metaHome{kind: homeSpreadsheet}, &sheets.DeveloperMetadataLocation{LocationType: "SPREADSHEET", Spreadsheet: true}, nil
	case loc.DimensionRange != nil:
		ds, _ := op.dimRange(loc.DimensionRange)
		if ds.rows {
			return target, metaHome{sheetID: ds.tab.props.SheetId, kind: homeRow, key: ds.tab.rows[ds.start].key}, dimLocation(ds.tab, "ROWS", ds.start), nil
		}
		return target, metaHome{sheetID: ds.tab.props.SheetId, kind: homeCol, key: ds.tab.cols[ds.start].key}, dimLocation(ds.tab, "COLUMNS", ds.start), nil
	}
	return target, metaHome{sheetID: loc.SheetId, kind: homeSheet}, &sheets.DeveloperMetadataLocation{LocationType: "SHEET", SheetId: loc.SheetId}, nil
}

func (op *batchOp) metaTargetSlice(loc *sheets.DeveloperMetadataLocation, sheetSet bool) (*[]*sheets.DeveloperMetadata, error) {
	if loc == nil {
		return nil, op.fail("Developer metadata must have a location.")
	}
	kinds := 0
	for _, b := range []bool{loc.Spreadsheet, loc.DimensionRange != nil, sheetSet} {
		if b {
			kinds++
		}
	}
	if kinds != 1 {
		return nil, op.fail("The metadata location must set exactly one of spreadsheet, sheetId or dimensionRange.")
	}
	switch {
	case loc.Spreadsheet:
		return &op.ss.meta, nil
	case loc.DimensionRange != nil:
		ds, err := op.dimRange(loc.DimensionRange)
		if err != nil {
			return nil, err
		}
		if ds.end-ds.start != 1 {
			return nil, op.fail("The dimension range of developer metadata must be a single row or column.")
		}
		if ds.rows {
			return &ds.tab.mutRow(ds.start).meta, nil
		}
		return &ds.tab.mutCol(ds.start).meta, nil
	}
	t := op.ss.tabByID(loc.SheetId)
	if t == nil {
		return nil, op.fail("No grid with id: %d", loc.SheetId)
	}
	return &t.meta, nil
}

func (op *batchOp) checkMeta(m *sheets.DeveloperMetadata) error {
	if m.MetadataKey == "" {
		return op.fail("Developer metadata must always have a key specified.")
	}
	if m.Visibility != "DOCUMENT" && m.Visibility != "PROJECT" {
		return op.fail("Developer metadata must always have a visibility specified.")
	}
	if m.MetadataId < 0 {
		return op.fail("The metadata id must be positive.")
	}
	return nil
}

func batchCreateMetadata(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	in := r.CreateDeveloperMetadata.DeveloperMetadata
	if in == nil {
		return nil, op.fail("developerMetadata is required.")
	}
	m := *in
	if err := op.checkMeta(&m); err != nil {
		return nil, err
	}
	target, home, loc, err := op.metaTarget(m.Location, op.has("developerMetadata", "location", "sheetId"))
	if err != nil {
		return nil, err
	}
	if m.MetadataId != 0 {
		if op.ss.metaIDTaken(m.MetadataId) {
			return nil, op.fail("Developer metadata with id %d already exists.", m.MetadataId)
		}
	} else {
		for m.MetadataId == 0 || op.ss.metaIDTaken(m.MetadataId) {
			m.MetadataId = op.s.randomInt31()
		}
	}
	m.Location = nil
	*target = append(slices.Clone(*target), &m)
	op.ss.indexMeta(m.MetadataId, home)
	return &sheets.Response{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataResponse{DeveloperMetadata: locatedMeta(&m, loc)}}, nil
}

// filterMatches unions the metadata selected by several filters, each
// once, in the spreadsheet's order, with the filters that selected it.
func (ss *spreadsheet) filterMatches(filters []*sheets.DataFilter) ([]metaMatch, map[int64][]*sheets.DataFilter, error) {
	by := map[int64][]*sheets.DataFilter{}
	for _, f := range filters {
		ms, err := ss.metadataByFilter(f)
		if err != nil {
			return nil, nil, err
		}
		for _, m := range ms {
			by[m.meta.MetadataId] = append(by[m.meta.MetadataId], f)
		}
	}
	var out []metaMatch
	if len(by) > 64 {
		for _, m := range ss.allMetadata() {
			if by[m.meta.MetadataId] != nil {
				out = append(out, m)
			}
		}
		return out, by, nil
	}
	// A few matches are put in the spreadsheet's order without listing
	// every entry.
	keys := map[int64][4]int64{}
	for id := range by {
		if m, ok := ss.metaByID(id); ok {
			out = append(out, m)
			keys[id] = ss.order(m)
		}
	}
	slices.SortFunc(out, func(a, b metaMatch) int {
		ka, kb := keys[a.meta.MetadataId], keys[b.meta.MetadataId]
		return slices.Compare(ka[:], kb[:])
	})
	return out, by, nil
}

func batchUpdateMetadata(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	u := r.UpdateDeveloperMetadata
	if len(u.DataFilters) == 0 {
		return nil, op.fail("At least one data filter must be specified.")
	}
	paths, err := maskPaths[sheets.DeveloperMetadata](op, u.Fields)
	if err != nil {
		return nil, err
	}
	matches, _, err := op.ss.filterMatches(u.DataFilters)
	if err != nil {
		return nil, op.fail("%s", err.(*APIError).Message)
	}
	if len(matches) == 0 && op.s.opts.DataFilterMissFails {
		return nil, op.fail("the data filters match no developer metadata")
	}
	moves := paths == nil
	for _, p := range paths {
		if p[0] == "location" {
			moves = true
		}
	}
	src := u.DeveloperMetadata
	if src == nil {
		src = &sheets.DeveloperMetadata{}
	}
	if len(matches) > 1 && src.MetadataId != 0 && (paths == nil || slices.ContainsFunc(paths, func(p []string) bool { return p[0] == "metadataId" })) {
		return nil, op.fail("Cannot set the same metadataId on %d developer metadata entries.", len(matches))
	}
	var updated []*sheets.DeveloperMetadata
	for _, m := range matches {
		next := applyMask(m.meta, src, paths)
		if next.MetadataId == 0 {
			next.MetadataId = m.meta.MetadataId
		}
		if err := op.checkMeta(next); err != nil {
			return nil, err
		}
		if next.MetadataId != m.meta.MetadataId && op.ss.metaIDTaken(next.MetadataId) {
			return nil, op.fail("Developer metadata with id %d already exists.", next.MetadataId)
		}
		op.ss.detachMeta(m)
		target, home := op.ss.metaSlice(m)
		loc := m.meta.Location
		if moves {
			loc = next.Location
			if loc != nil {
				loc = &sheets.DeveloperMetadataLocation{Spreadsheet: loc.Spreadsheet, SheetId: loc.SheetId, DimensionRange: loc.DimensionRange}
			}
			sheetSet := loc != nil && !loc.Spreadsheet && loc.DimensionRange == nil
			if target, home, loc, err = op.metaTarget(loc, sheetSet); err != nil {
				return nil, err
			}
		}
		next.Location = nil
		*target = append(slices.Clone(*target), next)
		op.ss.indexMeta(next.MetadataId, home)
		updated = append(updated, locatedMeta(next, loc))
	}
	return &sheets.Response{UpdateDeveloperMetadata: &sheets.UpdateDeveloperMetadataResponse{DeveloperMetadata: updated}}, nil
}

func batchDeleteMetadata(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	matches, err := op.ss.metadataByFilter(r.DeleteDeveloperMetadata.DataFilter)
	if err != nil {
		return nil, op.fail("%s", err.(*APIError).Message)
	}
	if len(matches) == 0 && op.s.opts.DataFilterMissFails {
		return nil, op.fail("the data filter matches no developer metadata")
	}
	var deleted []*sheets.DeveloperMetadata
	for _, m := range matches {
		op.ss.detachMeta(m)
		deleted = append(deleted, m.meta)
	}
	return &sheets.Response{DeleteDeveloperMetadata: &sheets.DeleteDeveloperMetadataResponse{DeletedDeveloperMetadata: deleted}}, nil
}

// sheetsMetadataGet serves developerMetadata.get.
func (s *Server) sheetsMetadataGet(c *call) (any, error) {
	ss := s.sheets.byID[c.params["spreadsheetId"]]
	if ss == nil {
		return nil, notFound("Requested entity was not found.")
	}
	id, err := strconv.ParseInt(c.params["metadataId"], 10, 64)
	if err != nil {
		return nil, invalidArgument("Invalid metadataId: %s", c.params["metadataId"])
	}
	if m, ok := ss.metaByID(id); ok {
		return m.meta, nil
	}
	return nil, notFound("No developer metadata with id %d.", id)
}

// sheetsMetadataSearch serves developerMetadata.search: the metadata
// matching any filter, each with the filters that matched it.
func (s *Server) sheetsMetadataSearch(c *call) (any, error) {
	ss := s.sheets.byID[c.params["spreadsheetId"]]
	if ss == nil {
		return nil, notFound("Requested entity was not found.")
	}
	var req sheets.SearchDeveloperMetadataRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if len(req.DataFilters) == 0 {
		return nil, invalidArgument("Must specify at least one data filter.")
	}
	matches, by, err := ss.filterMatches(req.DataFilters)
	if err != nil {
		return nil, err
	}
	out := &sheets.SearchDeveloperMetadataResponse{}
	for _, m := range matches {
		out.MatchedDeveloperMetadata = append(out.MatchedDeveloperMetadata, &sheets.MatchedDeveloperMetadata{
			DeveloperMetadata: m.meta, DataFilters: by[m.meta.MetadataId],
		})
	}
	return out, nil
}
