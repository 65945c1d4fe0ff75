package google

import (
	"context"
	"fmt"

	"kopi/rules"
)

// ArchivedCases reads every case of the yearly archive tabs back, for
// the report (sync.ArchiveCaseReader): a case archived a month after it
// closed still belongs to the period it was served in, and its survey
// still rates it. One spreadsheets.get lists the tabs, one reads the
// archive tabs; never called by the per-minute cycle. Long texts are
// not resolved: the report reads the ticket, times, topic, consultant
// and status only.
func (t *Tracker) ArchivedCases(ctx context.Context) ([]rules.Case, error) {
	schemas, err := t.archiveSchemas(ctx, false)
	if err != nil {
		return nil, err
	}
	if len(schemas) == 0 {
		return nil, nil
	}
	tables, err := t.sheets.Read(ctx, schemas...)
	if err != nil {
		return nil, fmt.Errorf("read archive: %w", err)
	}
	var out []rules.Case
	for _, sc := range schemas {
		for _, r := range tables[sc.Title].Rows {
			if c, _ := t.caseFromRow(r); c != nil {
				out = append(out, c.Case)
			}
		}
	}
	return out, nil
}
