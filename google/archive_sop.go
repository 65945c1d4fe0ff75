package google

import (
	"sort"
	"strconv"
	"strings"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// The other SOPs' closed cases go to "Arsip <tab> <year>"
// (rules.SOPArchiveTitle) in the same atomic batchUpdate as KOPI's:
// the row copied under the archive's columns by header, the live row
// deleted, the flow record and finished deliveries deleted from the
// state tab, the highest archived case number of each SOP written
// ("alur-arsip"). A row a raced sort put in the archive instead goes
// back with its anchor, and the flow of a case whose row the sort kept
// live is written back (returnStray), so no live row is left without
// its flow.

// stateArchiveSOP holds the highest archived case number of an SOP
// (key: the SOP's id, value: the number).
const stateArchiveSOP = "alur-arsip"

// sopArchiveFromRow reads an SOP's highest archived case number.
func sopArchiveFromRow(st *rules.ArchiveState, r Row) {
	n, err := strconv.Atoi(strings.TrimSpace(r.Get(ColStateValue)))
	sop := r.Get(ColStateKey)
	if err != nil || sop == "" {
		return
	}
	if st.SOPHighest == nil {
		st.SOPHighest = map[string]int{}
	}
	st.SOPHighest[sop] = max(st.SOPHighest[sop], n)
}

// sopSources are the SOP tabs' rows of the move, one source per SOP,
// each row to the archive of its SOP and year; a returned row gets its
// anchor back. A case whose row the read did not find (staff deleted
// it) moves no row: its flow still leaves the state tab.
func (tx *TrackerTx) sopSources(mv rules.ArchiveMove) ([]*archiveSource, error) {
	bySOP := map[string]map[string]int{}
	var ids []string
	for _, c := range mv.SOPCases {
		if bySOP[c.SOP] == nil {
			bySOP[c.SOP] = map[string]int{}
			ids = append(ids, c.SOP)
		}
		bySOP[c.SOP][c.Case] = c.Year
	}
	sort.Strings(ids)
	var out []*archiveSource
	for _, sop := range ids {
		def, tb, err := tx.sopTable(sop)
		if err != nil {
			return nil, err
		}
		want := bySOP[sop]
		s := &archiveSource{tb: tb, keyCol: ColSOPCase, norm: strings.TrimSpace, schema: SOPTab(def),
			names: columnNames(tb, tb.ColCount), owner: func(string) string { return "" }, sop: sop}
		s.anchorOf = func(key string) anchorFunc {
			if key == "" {
				return nil
			}
			return func(sheetID, row int64, seen anchorSet) []*sheets.Request {
				return metaAnchorRequests(sheetID, row, sopAnchorID(sop, key), key, seen[anchorAt{sheetID, key}])
			}
		}
		cases, _ := sopCases(tb.Rows)
		for _, r := range tb.Rows {
			rc := cases[r.Index]
			year, ok := want[rc.caseID]
			if rc.caseID == "" || rc.copy || !ok || strings.TrimSpace(r.Get(ColSOPCase)) != rc.caseID {
				continue
			}
			s.rows = append(s.rows, srcRow{index: r.Index, key: rc.caseID, year: year, title: rules.SOPArchiveTitle(def.Tab, year)})
			delete(want, rc.caseID)
		}
		sort.Slice(s.rows, func(i, j int) bool { return s.rows[i].index < s.rows[j].index })
		out = append(out, s)
	}
	return out, nil
}

// flowRows are the state tab's flow records of the move's SOP cases, by
// "sop/case", as read: the ones written back when a raced sort kept a
// case's row live.
func flowRows(st *Table, mv rules.ArchiveMove) map[string]map[string]string {
	want := map[string]bool{}
	for _, c := range mv.SOPCases {
		want[c.SOP+"/"+c.Case] = true
	}
	out := map[string]map[string]string{}
	for _, r := range st.Rows {
		if r.Get(ColStateKind) == stateFlow && want[r.Get(ColStateKey)] {
			out[r.Get(ColStateKey)] = r.values()
		}
	}
	return out
}

// restoreFlows are the requests writing back the flow records of SOP
// cases a raced move meant to take but whose rows stayed live.
func restoreFlows(st *Table, flows map[string]map[string]string, keys []string) ([]*sheets.Request, error) {
	var rows []*sheets.RowData
	for _, k := range keys {
		vals, ok := flows[k]
		if !ok {
			continue
		}
		cells, err := st.fullRowCells(vals)
		if err != nil {
			return nil, err
		}
		rows = append(rows, &sheets.RowData{Values: cells})
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return []*sheets.Request{{AppendCells: &sheets.AppendCellsRequest{SheetId: st.SheetID, Rows: rows, Fields: "userEnteredValue"}}}, nil
}
