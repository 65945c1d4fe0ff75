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
//   - once a day (FormCacheMaxAge) the form is read again regardless, for
//     changes responses cannot show (a question removed, a new link).

// FormCacheMaxAge is how long a cached form is trusted without a forms.get.
const FormCacheMaxAge = 24 * time.Hour

// stateForm is the state-tab record kind of the cached form: key the form
// id, value the revision, message the public link, detail the questions
// (JSON), time when forms.get last ran.
const stateForm = "formulir"

// CachedForm is the intake form as the state tab remembers it.
type CachedForm struct {
	FormID  string
	Info    FormInfo
	Checked time.Time
	handle  int64
}

// Fresh reports whether the cache may be used at now without forms.get.
func (c *CachedForm) Fresh(formID string, now time.Time) bool {
	return c != nil && c.FormID == formID && now.Sub(c.Checked) < FormCacheMaxAge && now.Sub(c.Checked) >= -time.Hour
}

type cachedQuestion struct {
	Title string `json:"t"`
	ID    string `json:"id"`
}

// cachedFormFrom finds the form record in the state tab (nil if none).
func cachedFormFrom(tb *Table) *CachedForm {
	if tb == nil {
		return nil
	}
	for _, r := range tb.Rows {
		if r.Get(ColStateKind) != stateForm {
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
// in the state tab (one small write when it changed or was last checked
// long ago). pre is the preloaded tracker the record lives in.
func (w *Workspace) RefreshForm(ctx context.Context, cfg *rules.Config, pre *Preloaded, now time.Time) error {
	info, err := w.Forms.Form(ctx, cfg.Intake.FormID)
	if err != nil {
		return fmt.Errorf("intake form: %w", err)
	}
	if err := w.UseForm(cfg, *info); err != nil {
		return err
	}
	qs := make([]cachedQuestion, len(info.Questions))
	for i, q := range info.Questions {
		qs[i] = cachedQuestion{Title: q.Title, ID: q.ID}
	}
	detail, err := json.Marshal(qs)
	if err != nil {
		return fmt.Errorf("encode form questions: %w", err)
	}
	handle := int64(-1)
	if pre.Form != nil {
		handle = pre.Form.handle
	}
	vals := map[string]string{
		ColStateKind: stateForm, ColStateKey: cfg.Intake.FormID, ColStateValue: info.RevisionID,
		ColStateMsg: info.ResponderURI, ColStateDetail: string(detail), ColStateTime: now.UTC().Format(time.RFC3339Nano),
	}
	next := pre.state.LastRow + 1 // where a new record goes (Sheets.Apply)
	if err := w.Sheets.Apply(ctx, &Commit{State: map[*Table][]StateWrite{pre.state: {{Index: handle, Values: vals}}}}); err != nil {
		return fmt.Errorf("record the intake form: %w", err)
	}
	if handle < 0 {
		handle = next
	}
	pre.Form = &CachedForm{FormID: cfg.Intake.FormID, Info: *info, Checked: now, handle: handle}
	return nil
}
