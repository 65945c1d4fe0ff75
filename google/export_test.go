package google

// ReportLayoutOf exposes the report layout to the external tests, which
// read the charts' ranges back against it.
var ReportLayoutOf = reportLayoutOf
