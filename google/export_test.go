package google

// ReportLayoutOf exposes the report layout to the external tests, which
// read the charts' ranges back against it.
var ReportLayoutOf = reportLayoutOf

// CellText and CellFields expose how kopi reads one cell, so a test can
// type into a cell under each locale and read it as kopi does.
var (
	CellText   = cellText
	CellFields = cellFields
)
