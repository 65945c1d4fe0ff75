package fake

import "google.golang.org/api/sheets/v4"

// metaMatch is one developer metadata entry and where it is attached.
type metaMatch struct {
	meta *sheets.DeveloperMetadata // Location is filled with current indexes
	tab  *tab                      // nil for spreadsheet-located metadata
	row  *gridRow                  // set for row-located metadata
	col  *gridCol                  // set for column-located metadata
}

// lookupMetadata returns the metadata matching every set field of l.
// Owned by the batchUpdate helper (sheets_metadata.go).
func (ss *spreadsheet) lookupMetadata(l *sheets.DeveloperMetadataLookup) ([]metaMatch, error) {
	return nil, nil
}
