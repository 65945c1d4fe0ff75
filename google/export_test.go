package google

import "context"

// ReportLayoutOf exposes the report layout to the external tests, which
// read the charts' ranges back against it.
var ReportLayoutOf = reportLayoutOf

// CellText and CellFields expose how kopi reads one cell, so a test can
// type into a cell under each locale and read it as kopi does.
var (
	CellText   = cellText
	CellFields = cellFields
)

// ReadByClient is Read decoded by the official client (tableFromGrid
// over its sheets.Spreadsheet), as Read decoded before it took over the
// body: what a test compares Read with.
func (s *Sheets) ReadByClient(ctx context.Context, schemas ...TabSchema) (map[string]*Table, error) {
	ranges := make([]string, len(schemas))
	for i, sc := range schemas {
		ranges[i] = QuoteSheetName(sc.Title)
	}
	ss, err := s.svc.Spreadsheets.Get(s.id).Ranges(ranges...).IncludeGridData(true).Fields(readFields).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	out := map[string]*Table{}
	for _, sc := range schemas {
		for _, sh := range ss.Sheets {
			if sh.Properties != nil && sh.Properties.Title == sc.Title {
				out[sc.Title] = tableFromGrid(sc, sh)
			}
		}
	}
	joinOverflow(out)
	return out, nil
}
