package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"kopi/google"
	"kopi/rules"
	ksync "kopi/sync"
)

// The google adapters implement what the cycle consumes (STYLE practice 2).
var (
	_ ksync.Forms       = (*google.Forms)(nil)
	_ ksync.TrackerTx   = (*google.TrackerTx)(nil)
	_ ksync.Tracker     = ksync.TrackerOf((*google.Tracker)(nil))
	_ ksync.Mailer      = (*google.Gmail)(nil)
	_ ksync.SurveyForm  = (*google.SurveyForm)(nil)
	_ ksync.SurveyLog   = (*google.Tracker)(nil)
	_ ksync.ReportSheet = (*google.Sheets)(nil)
)

// wiring is what a cycle needs besides the configuration.
type wiring struct {
	cfg          *rules.Config
	cal          *rules.Calendar
	google       google.Options
	retrier      *google.Retrier
	now          func() time.Time
	logger       *slog.Logger
	templatesDir string // resolved; empty = built-in templates
}

// newEngine connects the Workspace adapters (one forms.get to resolve the
// question titles) and builds the cycle engine on them.
func newEngine(ctx context.Context, w wiring) (*ksync.Engine, *google.Workspace, error) {
	ws, err := google.Connect(ctx, w.cfg, w.google, w.retrier, w.now)
	if err != nil {
		return nil, nil, explain(msgConnect, err, w.cfg)
	}
	eng, err := engineOn(ctx, ws, w)
	if err != nil {
		return nil, nil, err
	}
	return eng, ws, nil
}

// engineOn builds the cycle engine on connected adapters whose form
// questions are resolved.
func engineOn(ctx context.Context, ws *google.Workspace, w wiring) (*ksync.Engine, error) {
	tmpl, err := ksync.LoadTemplates(w.templatesDir)
	if err != nil {
		return nil, fmt.Errorf(msgTemplates, err)
	}
	o := ksync.Options{
		Config: w.cfg, Calendar: w.cal,
		Forms: ws.Forms, Tracker: ksync.TrackerOf(ws.Tracker), Mailer: ws.Gmail,
		Templates: tmpl, Questions: ws.Questions,
		FormURL: ws.FormURL, SheetURL: ws.SheetURL, SOPs: ws.SOPs,
		Now: w.now, Logger: w.logger,
		Report: ws.Sheets, History: ws.Tracker,
	}
	if err := wireSurvey(ctx, w.cfg, ws, &o); err != nil {
		return nil, err
	}
	eng, err := ksync.New(o)
	if err != nil {
		return nil, fmt.Errorf(msgPrepEngine, err)
	}
	return eng, nil
}

// summarize renders a cycle's report as one Indonesian line of counts:
// never a name, an address or a question.
func summarize(r *ksync.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, msgCycleSummary, r.Responses, r.NewCases, r.Updated, r.Incomplete, r.Unassigned, r.Sent, r.Deferred, r.Failed)
	if r.EditsNoted > 0 {
		fmt.Fprintf(&b, msgSummaryEdits, r.EditsNoted)
	}
	if r.Deleted > 0 {
		fmt.Fprintf(&b, msgSummaryDel, r.Deleted)
	}
	if n := r.Archived + r.SOPArchived; n > 0 {
		fmt.Fprintf(&b, msgSummaryArch, n)
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(&b, msgSummaryProbs, len(r.Problems))
	}
	return b.String()
}

// decimal formats f the Indonesian way, with a decimal comma.
func decimal(f float64, prec int) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', prec, 64), ".", ",", 1)
}

// sheetLink is the tracking spreadsheet's address for a person: Google's
// edit page, or, on a fake Workspace (google.endpoint), the fake's own
// read of the Konsultasi tab, which a browser can open — the fake has no
// docs.google.com.
func sheetLink(cfg *rules.Config) string {
	id := cfg.Tracker.SpreadsheetID
	if ep := strings.TrimSuffix(cfg.Google.Endpoint, "/"); ep != "" {
		tab := google.CasesTab(nil).Title
		return ep + "/v4/spreadsheets/" + url.PathEscape(id) + "/values/" + url.PathEscape(tab)
	}
	return "https://docs.google.com/spreadsheets/d/" + id + "/edit"
}
