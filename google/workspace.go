package google

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kopi/rules"
	"kopi/sop"
)

// Workspace is everything kopi talks to, connected for one office: the
// adapters over the intake form, the tracking sheet and the mailbox.
type Workspace struct {
	Services *Services
	Retrier  *Retrier
	Forms    *Forms
	Sheets   *Sheets
	Tracker  *Tracker
	Gmail    *Gmail
	// Questions maps each field to the intake form's question id.
	Questions map[rules.Field]string
	// FormURL is the form's public link; SheetURL the tracker's.
	FormURL  string
	SheetURL string
	// SOPs are the SOPs the config lists besides KOPI (sync.Options.SOPs).
	SOPs []*rules.SOPDef
	// Survey is the survey form set from the state-tab cache (UseSurvey,
	// RefreshSurvey); nil until then.
	Survey *SurveyForm
}

// Connect builds the adapters for cfg and resolves the intake form's
// question titles (one forms.get). A title missing from the form is a
// *rules.MappingError that lists the titles the form has.
func Connect(ctx context.Context, cfg *rules.Config, o Options, r *Retrier, now func() time.Time) (*Workspace, error) {
	if r == nil {
		r = &Retrier{}
	}
	if o.Endpoint == "" {
		o.Endpoint = cfg.Google.Endpoint
	}
	svc, err := NewServices(ctx, o)
	if err != nil {
		return nil, err
	}
	w := &Workspace{Services: svc, Retrier: r}
	if w.SOPs, err = sop.Resolve(cfg.SOPs); err != nil {
		return nil, err
	}
	if err := CheckSOPs(w.SOPs); err != nil {
		return nil, err
	}
	w.Forms = NewForms(svc.Forms, r)
	w.Sheets = NewSheets(svc.Sheets, r, cfg.Tracker.SpreadsheetID)
	w.Tracker = NewTracker(w.Sheets, cfg).RunSOPs(w.SOPs)
	domain := "kopi.invalid"
	if _, d, ok := strings.Cut(cfg.Mail.Sender.Address, "@"); ok {
		domain = d
	}
	w.Gmail = NewGmail(svc.Gmail, r, domain, now)
	w.SheetURL = "https://docs.google.com/spreadsheets/d/" + cfg.Tracker.SpreadsheetID + "/edit"
	if o.DeferForm {
		return w, nil
	}
	if err := w.ReadForm(ctx, cfg); err != nil {
		return nil, err
	}
	return w, nil
}

// ReadForm reads the intake form (one forms.get) and sets the question
// mapping and form link from it, for a daemon, which keeps no cache: it
// reads the form at start, again after its first busy cycle of each day
// (FormCacheMaxAge), and when a response answers a question this read
// did not show (ErrFormChanged). A title missing from the form is a
// *rules.MappingError; then nothing is set.
func (w *Workspace) ReadForm(ctx context.Context, cfg *rules.Config) error {
	info, err := w.Forms.Form(ctx, cfg.Intake.FormID)
	if err != nil {
		return fmt.Errorf("intake form: %w", err)
	}
	q, err := rules.ResolveQuestions(cfg.Intake.Questions, info.Questions)
	if err != nil {
		return err
	}
	w.Questions, w.FormURL = q, info.ResponderURI
	// A response answering a question id this read did not show (a
	// question replaced since) is ErrFormChanged, not an answer lost.
	w.Forms.ExpectQuestions(*info)
	return nil
}

// ExampleRoster is the roster `kopi init` seeds the Konsuler tab with:
// one line per SOP role, to be replaced by the office's own people.
func ExampleRoster(cfg *rules.Config) []map[string]string {
	topics := cfg.TopicNames()
	all := strings.Join(topics, "; ")
	pick := func(i int) string {
		if i < len(topics) {
			return topics[i]
		}
		return all
	}
	return []map[string]string{
		{ColRosterName: "Irban Wilayah I (contoh)", ColRosterEmail: "irban1@inspektorat.example.go.id", ColRosterRole: "Inspektur Pembantu", ColRosterTopics: pick(1) + "; " + pick(3), ColRosterActive: "Ya", ColRosterMaxOpen: "10"},
		{ColRosterName: "Auditor Ahli Muda (contoh)", ColRosterEmail: "auditor1@inspektorat.example.go.id", ColRosterRole: "Auditor", ColRosterTopics: pick(1) + "; " + pick(2), ColRosterActive: "Ya", ColRosterMaxOpen: "8"},
		{ColRosterName: "PPUPD (contoh)", ColRosterEmail: "ppupd1@inspektorat.example.go.id", ColRosterRole: "PPUPD", ColRosterTopics: pick(2) + "; " + pick(3), ColRosterActive: "Ya", ColRosterMaxOpen: "8"},
		{ColRosterName: "Kasubbag Umum (contoh)", ColRosterEmail: "kasubbag@inspektorat.example.go.id", ColRosterRole: "Kasubbag", ColRosterTopics: pick(0), ColRosterActive: "Ya", ColRosterMaxOpen: "15"},
	}
}
