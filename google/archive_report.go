package google

import (
	"context"
	"fmt"

	"kopi/rules"
)

// ArchivedCases reads every case and survey of the yearly archive tabs
// back, for the report (sync.ArchiveCaseReader): a case archived a month
// after it closed still belongs to the period it was served in, and its
// survey — archived with it, "Arsip Survei 2025" — still rates it. One
// spreadsheets.get lists the tabs, one reads the archive tabs; never
// called by the per-minute cycle. Long texts are not resolved: the
// report reads the ticket, times, topic, consultant and status only.
func (t *Tracker) ArchivedCases(ctx context.Context) ([]rules.Case, []rules.SurveyRecord, error) {
	schemas, err := t.archiveSchemas(ctx, false, true)
	if err != nil {
		return nil, nil, err
	}
	if len(schemas) == 0 {
		return nil, nil, nil
	}
	tables, err := t.sheets.Read(ctx, schemas...)
	if err != nil {
		return nil, nil, fmt.Errorf("read archive: %w", err)
	}
	var out []rules.Case
	var surveys []rules.SurveyRecord
	for _, sc := range schemas {
		if isSurveyArchiveTitle(sc.Title) {
			surveys = append(surveys, t.surveysFromTable(tables[sc.Title])...)
			continue
		}
		for _, r := range tables[sc.Title].Rows {
			if c, _ := t.caseFromRow(r); c != nil {
				out = append(out, c.Case)
			}
		}
	}
	return out, surveys, nil
}
