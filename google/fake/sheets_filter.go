package fake

import (
	"errors"

	"google.golang.org/api/sheets/v4"
)

// resolveDataFilter resolves a DataFilter (a1Range, gridRange or
// developerMetadataLookup) to the ranges it selects.
// Owned by the values helper (sheets_filter.go).
func (ss *spreadsheet) resolveDataFilter(f *sheets.DataFilter) ([]boundRange, error) {
	return nil, errors.New("resolveDataFilter: not implemented")
}
