package sync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"kopi/rules"
)

// ReportSheet lays a report out on the Laporan tab.
type ReportSheet interface {
	// RebuildReport replaces the tab's content and charts in one write.
	RebuildReport(ctx context.Context, r rules.Report) error
}

// HistoryReader reads the SOPs' history (tab Riwayat) back, for the
// report's step compliance. It is read when a report is built, never in
// the per-minute cycle.
type HistoryReader interface {
	// History returns every history entry the tab holds.
	History(ctx context.Context) ([]rules.HistoryEntry, error)
}

// ArchiveCaseReader reads the archived cases back for the report. The
// history reader implements it when the tracker keeps a yearly archive
// (google.Tracker); without it the report covers the live tab only.
type ArchiveCaseReader interface {
	// ArchivedCases returns every case and survey the archive tabs hold.
	ArchivedCases(ctx context.Context) ([]rules.Case, []rules.SurveyRecord, error)
}

// reportNotesMax bounds the flagged cases the report lists.
const reportNotesMax = 20

// BuildReport reads the tracker once and builds the period's report:
// cases, step compliance, the satisfaction index over the Survei tab
// (surveys joined to their cases again, so a case answered since is
// seen), suggestions, flagged surveys and flagged cases.
func (e *Engine) BuildReport(ctx context.Context, period rules.ReportPeriod) (rules.Report, error) {
	snap, _, err := e.o.Tracker.Read(ctx)
	if err != nil {
		return rules.Report{}, fmt.Errorf("read tracker: %w", err)
	}
	hist, err := e.history(ctx)
	if err != nil {
		return rules.Report{}, err
	}
	if snap, err = e.withArchive(ctx, snap); err != nil {
		return rules.Report{}, fmt.Errorf(msgReportArchive, err)
	}
	return e.reportOf(snap, hist, period), nil
}

// withArchive is the snapshot with the archived cases and surveys read
// back, for a report. The archived cases belong to the periods they were
// served in, and their surveys rate them: without them a report built
// after the nightly archive would lose their cases and their ratings.
// Read only once something was archived (the state keeps the highest
// archived ticket of each year, and the archived surveys' cursor), so an
// office without an archive pays nothing.
func (e *Engine) withArchive(ctx context.Context, snap *rules.Snapshot) (*rules.Snapshot, error) {
	arch := snap.State.Archive
	a, ok := e.o.History.(ArchiveCaseReader)
	if !ok || (len(arch.Highest) == 0 && arch.SurveyCursor.IsZero()) {
		return snap, nil
	}
	archived, surveys, err := a.ArchivedCases(ctx)
	if err != nil {
		return nil, err
	}
	return withArchived(snap, archived, surveys), nil
}

// withArchived is the snapshot with the archived cases and surveys
// added (a case or survey both live and archived — a row a raced move
// returned — counts once, as its live row).
func withArchived(snap *rules.Snapshot, archived []rules.Case, surveys []rules.SurveyRecord) *rules.Snapshot {
	if len(archived) == 0 && len(surveys) == 0 {
		return snap
	}
	live := map[rules.Ticket]bool{}
	for _, c := range snap.Cases {
		live[c.Ticket] = true
	}
	out := *snap
	out.Cases = slices.Clip(out.Cases)
	for _, c := range archived {
		if !live[c.Ticket] {
			live[c.Ticket] = true
			out.Cases = append(out.Cases, rules.TrackedCase{Case: c})
		}
	}
	kept := map[string]bool{}
	for _, r := range snap.Surveys {
		kept[r.ResponseID] = true
	}
	out.Surveys = slices.Clip(out.Surveys)
	for _, r := range surveys {
		if !kept[r.ResponseID] {
			kept[r.ResponseID] = true
			out.Surveys = append(out.Surveys, r)
		}
	}
	return &out
}

// history reads the Riwayat tab (one spreadsheets.get) when the engine
// has a history reader; without one the report has no history.
func (e *Engine) history(ctx context.Context) ([]rules.HistoryEntry, error) {
	if e.o.History == nil {
		return nil, nil
	}
	hist, err := e.o.History.History(ctx)
	if err != nil {
		return nil, fmt.Errorf(msgReportHistory, err)
	}
	return hist, nil
}

// reportOf builds the report from a snapshot and the history (pure but
// for the config). Surveys are joined again with the answers' first sends
// from kopi's own records (rules.ReportAnswerSends), by the rule the
// intake used.
func (e *Engine) reportOf(snap *rules.Snapshot, hist []rules.HistoryEntry, period rules.ReportPeriod) rules.Report {
	cfg := e.o.Config
	cases := make([]rules.Case, len(snap.Cases))
	for i, c := range snap.Cases {
		cases[i] = c.Case
	}
	responses := make([]rules.SurveyResponse, len(snap.Surveys))
	for i, s := range snap.Surveys {
		responses[i] = s.SurveyResponse
	}
	sort.SliceStable(responses, func(i, j int) bool { return responses[i].SubmittedAt.Before(responses[j].SubmittedAt) })
	var scored []rules.ScoredSurvey
	var suggestions, flags []string
	flagged := map[rules.SurveyFlag]int{}
	outbox := make([]*rules.Delivery, len(snap.State.Outbox))
	for i := range snap.State.Outbox {
		outbox[i] = &snap.State.Outbox[i]
	}
	sent := rules.ReportAnswerSends(rules.FirstAnswerSends(outbox), snap.Surveys, cases)
	for _, j := range rules.JoinSurveys(responses, cases, sent) {
		if !period.Contains(j.SubmittedAt) {
			continue
		}
		if s := strings.TrimSpace(j.Suggestion); s != "" {
			suggestions = append(suggestions, s)
		}
		if j.Counted() {
			scored = append(scored, j.Scored())
		} else {
			flagged[j.Flag]++
		}
	}
	for _, f := range []rules.SurveyFlag{rules.SurveyUnknownTicket, rules.SurveyDuplicate, rules.SurveyBeforeAnswer} {
		if n := flagged[f]; n > 0 {
			flags = append(flags, fmt.Sprintf(msgReportFlaggedSurveys, n, f))
		}
	}
	var noted []string
	for _, c := range cases {
		if period.Contains(c.SubmittedAt) && strings.TrimSpace(c.Notes) != "" {
			first, _, _ := strings.Cut(strings.TrimSpace(c.Notes), "\n")
			noted = append(noted, c.Ticket.String()+": "+first)
		}
	}
	sort.Strings(noted)
	if len(noted) > reportNotesMax {
		noted = append(noted[:reportNotesMax], fmt.Sprintf(msgReportMoreNotes, len(noted)-reportNotesMax))
	}
	return rules.BuildReport(rules.ReportInput{
		Period: period, Calendar: e.o.Calendar, SOP: e.kopi, SOPs: e.o.SOPs, History: hist, Topics: cfg.TopicNames(),
		Cases: cases, Surveys: scored, Suggestions: suggestions, Flags: append(flags, noted...), Text: cfg.Report.Text,
	})
}

// RebuildReport builds the period's report and lays it out on the
// Laporan tab: the tracker's read, one spreadsheets.get of the Riwayat
// tab (when a history reader is wired), then one spreadsheets.get and
// one spreadsheets.batchUpdate for the layout, whatever the number of
// cases. A history that cannot be read fails the rebuild: a report
// whose compliance silently lost its source would mislead.
func (e *Engine) RebuildReport(ctx context.Context, period rules.ReportPeriod) (rules.Report, error) {
	if e.o.Report == nil {
		return rules.Report{}, errors.New("sync: no report sheet")
	}
	r, err := e.BuildReport(ctx, period)
	if err != nil {
		return r, err
	}
	if err := e.o.Report.RebuildReport(ctx, r); err != nil {
		return r, fmt.Errorf("rebuild report: %w", err)
	}
	e.log.Info("laporan dibangun ulang", "periode", period.Key, "kasus", r.Total, "responden", r.IKM.IKM.Respondents)
	return r, nil
}

// NightlyPeriod is the month the nightly rebuild covers: the month of
// the day before now, so the run just after midnight on the 1st closes
// the month that ended.
func NightlyPeriod(now time.Time, loc *time.Location) rules.ReportPeriod {
	d := now.In(loc).AddDate(0, 0, -1)
	return rules.MonthPeriod(d.Year(), d.Month(), loc)
}

// Messages of the report (Indonesian, for people).
const (
	msgReportFlaggedSurveys = "%d survei ditandai: %s (disimpan di tab Survei atau Arsip Survei, tidak dihitung dalam IKM)."
	msgReportMoreNotes      = "… dan %d kasus lain bercatatan."
	msgReportArchive        = "baca tab arsip untuk laporan: %w — laporan tidak dibangun ulang; pastikan spreadsheet dapat dibaca, lalu jalankan lagi `kopi report`"
	msgReportHistory        = "baca tab Riwayat untuk kepatuhan standar waktu: %w — laporan tidak dibangun ulang; pastikan tab Riwayat ada dan spreadsheet dapat dibaca, lalu jalankan lagi `kopi report`"
)

// Location is the office's time zone, in which report periods are cut.
func (e *Engine) Location() *time.Location { return e.loc }
