package google

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/rules"
)

// An idle `kopi once` must cost at most two calls: the tracker read and
// responses.list. The question ids kopi decodes responses with come from
// forms.get, a third call; so they are kept in the hidden state tab with
// the form's revisionId, and forms.get runs only when they may be stale.
// responses.list does not return the revision, and any way of asking
// for it (forms.get with fields=revisionId) is a call of its own, so
// staleness is detected from what kopi reads anyway:
//   - a response answering a question id the cache does not know means
//     questions were added or replaced: Responses returns ErrFormChanged
//     and the caller refreshes the cache and runs the cycle again;
//   - a cache older than FormCacheMaxAge is read again, for the changes
//     responses cannot show: a title edited, a question deleted, a new
//     responder link. An id the cache knows still names its question:
//     Question.questionId is "Read only. The question ID. On creation,
//     it can be provided but the ID must not be already used in the
//     form. If not provided, a new ID is assigned", and UpdateItemRequest
//     uses "item and question IDs ... if they are provided"; "If an ID is
//     blank (and in the field mask) a new ID is generated" — a new id,
//     which a response shows (above). That re-read (forms.get and the
//     record's write) waits for a cycle that has work anyway — one that
//     took a response in or sent an email (sync.Report.Busy) — and runs
//     after that cycle, so after its emails: an idle cycle stays at two
//     calls however old the cache, and a busy cycle's calls before its
//     first email do not change. (`kopi once` does the day's
//     reconciliation in that run too; the daemon, which keeps the forms
//     it read at start in memory, re-reads them the same way:
//     cmd/kopi/run.go, formWatch.)
//
// Until then the aged cache serves on, and only a cycle with work uses
// it: its question ids decode responses (right for every question whose
// id it knows; one it does not know is ErrFormChanged, above; the survey
// form's cached titles name the same questions), and its responder link
// goes only into the incomplete-request notice, an email answering a
// response. Neither the digest nor the reminders nor the survey link
// (the config's survey.url) quote it. So an office on holiday, with no
// response for weeks, keeps a stale record that nothing reads; its first
// busy cycle decodes on the cached ids, sends its notices with the cached
// link (as a cycle within the day before a re-read always did) and then
// reads the form, so the next notice carries the new link. A re-read
// that finds a mapped question's title gone fails the run after its
// work, with the mapping error (as the start-up read would); the record
// stays as it was and the next busy cycle tries again. A record that no
// longer fits the config (a title changed in both) is read again before
// the cycle. A crash between forms.get and the record's write loses
// nothing: the cycle's work was committed before it, and the record,
// still aged, is read again after the next busy cycle.

// The survey form, when configured, is cached the same way in a record
// of its own kind: its responses are decoded by question title, so the
// cache keeps the ids → titles, and a survey response answering an id
// the cache does not know is ErrSurveyFormChanged.

// FormCacheMaxAge is how long a cached form is trusted without a forms.get;
// an older one is still used, and read again after the next busy cycle.
const FormCacheMaxAge = 24 * time.Hour

// State-tab record kinds of the cached forms: key the form id, value the
// revision, message the public link, detail the questions (JSON), time
// when forms.get last ran.
const (
	stateForm       = "formulir"
	stateSurveyForm = "formulir-survei"
)

// CachedForm is a form (the intake or the survey form) as the state tab
// remembers it.
type CachedForm struct {
	FormID  string
	Info    FormInfo
	Checked time.Time
	handle  int64
}

// Usable reports whether the cache holds formID's questions, so that a
// cycle may decode its responses without forms.get.
func (c *CachedForm) Usable(formID string) bool {
	return c != nil && c.FormID == formID && len(c.Info.Questions) > 0
}

// Fresh reports whether the cache is usable and younger than
// FormCacheMaxAge at now (a record dated more than an hour ahead of now,
// a clock set back, counts as aged).
func (c *CachedForm) Fresh(formID string, now time.Time) bool {
	return c.Usable(formID) && now.Sub(c.Checked) < FormCacheMaxAge && now.Sub(c.Checked) >= -time.Hour
}

type cachedQuestion struct {
	Title string `json:"t"`
	ID    string `json:"id"`
}

// cachedFormFrom finds the record of kind in the state tab (nil if none).
func cachedFormFrom(tb *Table, kind string) *CachedForm {
	if tb == nil {
		return nil
	}
	for _, r := range tb.Rows {
		if r.Get(ColStateKind) != kind {
			continue
		}
		var qs []cachedQuestion
		if err := json.Unmarshal([]byte(r.Get(ColStateDetail)), &qs); err != nil {
			return &CachedForm{handle: r.Index} // unreadable: refreshed and overwritten
		}
		c := &CachedForm{FormID: r.Get(ColStateKey), handle: r.Index}
		c.Info.RevisionID = r.Get(ColStateValue)
		c.Info.ResponderURI = r.Get(ColStateMsg)
		c.Checked, _ = time.Parse(time.RFC3339Nano, r.Get(ColStateTime))
		for _, q := range qs {
			c.Info.Questions = append(c.Info.Questions, rules.FormQuestion{Title: q.Title, ID: q.ID})
		}
		return c
	}
	return nil
}

// recordForm writes info as the state-tab record of kind (one small
// write: in place over the old record, or a new one after the last) and
// returns the cache it now holds. The state tab is the one the latest
// cycle left (its records may have moved since the preload: a rerun read
// again, an archive compacted the tab), or the preloaded one before any.
func (w *Workspace) recordForm(ctx context.Context, pre *Preloaded, kind, formID string, info *FormInfo, now time.Time) (*CachedForm, error) {
	qs := make([]cachedQuestion, len(info.Questions))
	for i, q := range info.Questions {
		qs[i] = cachedQuestion{Title: q.Title, ID: q.ID}
	}
	detail, err := json.Marshal(qs)
	if err != nil {
		return nil, fmt.Errorf("encode form questions: %w", err)
	}
	st := pre.state
	if tx := w.Tracker.current; tx != nil && tx.tables[StateTab.Title] != nil {
		st = tx.tables[StateTab.Title]
	}
	handle := int64(-1)
	if old := cachedFormFrom(st, kind); old != nil {
		handle = old.handle
	}
	vals := map[string]string{
		ColStateKind: kind, ColStateKey: formID, ColStateValue: info.RevisionID,
		ColStateMsg: info.ResponderURI, ColStateDetail: string(detail), ColStateTime: now.UTC().Format(time.RFC3339Nano),
	}
	next := st.LastRow + 1 // where a new record goes (Sheets.Apply)
	writes := []StateWrite{{Index: handle, Values: vals}}
	if err := w.Sheets.Apply(ctx, &Commit{State: map[*Table][]StateWrite{st: writes}}); err != nil {
		return nil, err
	}
	// The table shows the record as written, so that a second refresh in
	// this run finds it where it is.
	st.noteWrites(writes, next)
	if handle < 0 {
		handle = next
	}
	return &CachedForm{FormID: formID, Info: *info, Checked: now, handle: handle}, nil
}

// ExpectQuestions makes Responses refuse, with ErrFormChanged, a response
// that answers a question not among info's: the cached question ids are
// stale.
func (f *Forms) ExpectQuestions(info FormInfo) {
	f.known = map[string]bool{}
	for _, q := range info.Questions {
		f.known[q.ID] = true
	}
}

func (f *Forms) checkKnown(r *forms.FormResponse) error {
	if f.known == nil {
		return nil
	}
	for id := range r.Answers {
		if !f.known[id] {
			return ErrFormChanged
		}
	}
	return nil
}

// ErrFormChanged means a response answers a question the cached form
// does not have: the form was edited since kopi last read it.
var ErrFormChanged error = formChangedError{}

type formChangedError struct{}

func (formChangedError) Error() string {
	return "formulir berubah sejak terakhir dibaca (ada pertanyaan baru)"
}

// ErrSurveyFormChanged means a survey response answers a question the
// cached survey form does not have: the survey form was edited since
// kopi last read it.
var ErrSurveyFormChanged error = surveyFormChangedError{}

type surveyFormChangedError struct{}

func (surveyFormChangedError) Error() string {
	return "formulir survei berubah sejak terakhir dibaca (ada pertanyaan baru)"
}

// UseForm sets the workspace's question mapping and form link from info,
// and tells the Forms adapter which question ids to expect.
func (w *Workspace) UseForm(cfg *rules.Config, info FormInfo) error {
	q, err := rules.ResolveQuestions(cfg.Intake.Questions, info.Questions)
	if err != nil {
		return err
	}
	w.Questions, w.FormURL = q, info.ResponderURI
	w.Forms.ExpectQuestions(info)
	return nil
}

// RefreshForm reads the intake form (forms.get), uses it and records it
// in the state tab (one small write). pre is the preloaded tracker the
// record lives in.
func (w *Workspace) RefreshForm(ctx context.Context, cfg *rules.Config, pre *Preloaded, now time.Time) error {
	info, err := w.Forms.Form(ctx, cfg.Intake.FormID)
	if err != nil {
		return fmt.Errorf("intake form: %w", err)
	}
	if err := w.UseForm(cfg, *info); err != nil {
		return err
	}
	c, err := w.recordForm(ctx, pre, stateForm, cfg.Intake.FormID, info, now)
	if err != nil {
		return fmt.Errorf("record the intake form: %w", err)
	}
	pre.Form = c
	return nil
}

// UseSurvey sets the workspace's survey form from info, as cached: a
// survey response answering a question not among info's is
// ErrSurveyFormChanged.
func (w *Workspace) UseSurvey(cfg *rules.Config, info FormInfo) error {
	s, err := newSurveyForm(w.Forms, cfg.Survey.FormID, info)
	if err != nil {
		return err
	}
	w.Survey = s
	return nil
}

// RefreshSurvey reads the survey form (forms.get), uses it and records it
// in the state tab like RefreshForm does the intake form.
func (w *Workspace) RefreshSurvey(ctx context.Context, cfg *rules.Config, pre *Preloaded, now time.Time) error {
	info, err := w.Forms.Form(ctx, cfg.Survey.FormID)
	if err != nil {
		return fmt.Errorf("survey form: %w", err)
	}
	if err := w.UseSurvey(cfg, *info); err != nil {
		return err
	}
	c, err := w.recordForm(ctx, pre, stateSurveyForm, cfg.Survey.FormID, info, now)
	if err != nil {
		return fmt.Errorf("record the survey form: %w", err)
	}
	pre.Survey = c
	return nil
}
