package fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"google.golang.org/api/forms/v1"
)

// The Forms model keeps each form as the official *forms.Form message plus
// the bookkeeping Google does not expose (a revision counter, the ids ever
// handed out, the responses). Every write builds a deep copy, changes the
// copy and swaps it in only when the whole write succeeded, which gives
// batchUpdate its documented all-or-nothing behaviour for free.

// formStore holds forms and their responses.
type formStore struct {
	byID map[string]*formState
}

// formState is one form and what hangs off it.
type formState struct {
	form     *forms.Form
	revision int64           // formatted into form.RevisionId
	usedIDs  map[string]bool // item and question ids ever generated, never reissued
	// responses by responseId; list order is by responseId (see formsResponsesList).
	responses map[string]*formResponse
}

// formResponse is a stored response; the times stay time.Time so filters
// compare instants, not strings.
type formResponse struct {
	id            string
	created       time.Time
	lastSubmitted time.Time
	email         string
	answers       map[string]forms.Answer
}

const formNotFoundMessage = "Requested entity was not found."

func (s *Server) registerForms() {
	s.forms = formStore{byID: map[string]*formState{}}
	s.handle("forms.forms.create", s.formsCreate)
	s.handle("forms.forms.get", s.formsGet)
	s.handle("forms.forms.batchUpdate", s.formsBatchUpdate)
	s.handle("forms.forms.setPublishSettings", s.formsSetPublishSettings)
	s.handle("forms.forms.responses.list", s.formsResponsesList)
	s.handle("forms.forms.responses.get", s.formsResponsesGet)
	s.registerFormsControl()
}

// lookupForm finds a form by id or answers Google's 404.
func (s *Server) lookupForm(id string) (*formState, error) {
	f, ok := s.forms.byID[id]
	if !ok {
		return nil, notFound(formNotFoundMessage)
	}
	return f, nil
}

// formsCreate implements forms.create. Google copies only info.title and
// info.documentTitle and refuses anything else, so a client cannot build a
// whole form in one call; items come through batchUpdate.
func (s *Server) formsCreate(c *call) (any, error) {
	var raw map[string]any
	if len(c.body) > 0 {
		if err := json.Unmarshal(c.body, &raw); err != nil {
			return nil, invalidArgument("Invalid JSON payload received. %s", jsonErrText(err))
		}
	}
	for k, v := range raw {
		if k == "info" {
			info, _ := v.(map[string]any)
			for ik, iv := range info {
				if ik != "title" && ik != "documentTitle" && !formIsZeroJSON(iv) {
					return nil, invalidArgument("Only info.title and info.document_title may be set when creating a form; info.%s is not allowed. Use batchUpdate to change other fields.", ik)
				}
			}
			continue
		}
		if !formIsZeroJSON(v) {
			return nil, invalidArgument("Only info.title and info.document_title may be set when creating a form; %s is not allowed. Use batchUpdate to add items and change settings.", k)
		}
	}
	var req forms.Form
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	info := &forms.Info{}
	if req.Info != nil {
		info.Title = req.Info.Title
		info.DocumentTitle = req.Info.DocumentTitle
	}
	if info.DocumentTitle == "" {
		// Drive names the file after the form title, "Untitled form" when
		// there is none, as the Forms UI does.
		info.DocumentTitle = info.Title
		if info.DocumentTitle == "" {
			info.DocumentTitle = "Untitled form"
		}
	}
	published := c.query.Get("unpublished") != "true" && !s.opts.WorkspaceFormDefaults
	f := &forms.Form{
		Info:     info,
		Settings: &forms.FormSettings{EmailCollectionType: s.newFormEmailCollection()},
		PublishSettings: &forms.PublishSettings{PublishState: &forms.PublishState{
			IsPublished: published, IsAcceptingResponses: published,
		}},
	}
	st := s.storeForm(f)
	return cloneForm(st.form), nil
}

// storeForm gives f its output-only identifiers and saves it.
func (s *Server) storeForm(f *forms.Form) *formState {
	for f.FormId == "" || s.forms.byID[f.FormId] != nil {
		// Drive file ids: 44 characters of base64url, starting with "1".
		f.FormId = "1" + s.randomID(43, base64URL)
	}
	if f.ResponderUri == "" {
		f.ResponderUri = "https://docs.google.com/forms/d/e/1FAIpQLS" + s.randomID(48, base64URL) + "/viewform"
	}
	st := &formState{form: f, revision: 1, usedIDs: map[string]bool{}, responses: map[string]*formResponse{}}
	f.RevisionId = formRevisionID(st.revision)
	s.forms.byID[f.FormId] = st
	return st
}

// formRevisionID formats a revision counter the way Forms revision ids look
// ("00000042"); clients must treat them as opaque.
func formRevisionID(n int64) string { return fmt.Sprintf("%08d", n) }

// formsGet implements forms.get.
func (s *Server) formsGet(c *call) (any, error) {
	st, err := s.lookupForm(c.params["formId"])
	if err != nil {
		return nil, err
	}
	return cloneForm(st.form), nil
}

// formsSetPublishSettings implements forms.setPublishSettings. Publish
// settings are form metadata, not content, so the revision id is kept.
func (s *Server) formsSetPublishSettings(c *call) (any, error) {
	st, err := s.lookupForm(c.params["formId"])
	if err != nil {
		return nil, err
	}
	var req forms.SetPublishSettingsRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.PublishSettings == nil {
		return nil, invalidArgument("publish_settings is required.")
	}
	paths, err := formMask(req.UpdateMask)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		if p != "*" && p != "publishState" {
			return nil, invalidArgument("Invalid update mask path %q: only \"publish_state\" and \"*\" are supported.", p)
		}
	}
	// The mask's only two accepted values both replace the whole state; an
	// absent state means both flags false (proto3 drops false booleans).
	ps := req.PublishSettings.PublishState
	if ps == nil {
		ps = &forms.PublishState{}
	}
	if ps.IsAcceptingResponses && !ps.IsPublished {
		return nil, invalidArgument("A form cannot accept responses while it is unpublished (is_accepting_responses=true requires is_published=true).")
	}
	st.form.PublishSettings = &forms.PublishSettings{PublishState: &forms.PublishState{
		IsPublished: ps.IsPublished, IsAcceptingResponses: ps.IsAcceptingResponses,
	}}
	return &forms.SetPublishSettingsResponse{
		FormId:          st.form.FormId,
		PublishSettings: clonePublish(st.form.PublishSettings),
	}, nil
}

// acceptingResponses reports whether respondents can submit to the form.
func (f *formState) acceptingResponses() bool {
	ps := f.form.PublishSettings
	if ps == nil || ps.PublishState == nil {
		// Legacy forms have no publish settings and always take responses.
		return true
	}
	return ps.PublishState.IsPublished && ps.PublishState.IsAcceptingResponses
}

// cloneForm deep-copies a form through its JSON form, which is exactly the
// shape a client would see.
func cloneForm(f *forms.Form) *forms.Form {
	raw, err := json.Marshal(f)
	if err != nil {
		panic(fmt.Sprintf("fake: marshal form: %v", err))
	}
	out := &forms.Form{}
	if err := json.Unmarshal(raw, out); err != nil {
		panic(fmt.Sprintf("fake: unmarshal form: %v", err))
	}
	return out
}

func clonePublish(p *forms.PublishSettings) *forms.PublishSettings {
	if p == nil {
		return nil
	}
	out := &forms.PublishSettings{}
	if p.PublishState != nil {
		st := *p.PublishState
		out.PublishState = &st
	}
	return out
}

// formIsZeroJSON reports whether a decoded JSON value is the proto3 default
// (absent, "", 0, false, empty list or object), which Google treats as unset.
func formIsZeroJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case float64:
		return x == 0
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, item := range x {
			if !formIsZeroJSON(item) {
				return false
			}
		}
		return true
	}
	return false
}

// formFailedPrecondition is a 400 with the FAILED_PRECONDITION status, which
// Google uses for requests that are well-formed but conflict with the
// resource's current state (a stale required revision, a closed form).
func formFailedPrecondition(format string, args ...any) *APIError {
	e := newError(http.StatusBadRequest, format, args...)
	e.Status = "FAILED_PRECONDITION"
	e.Reason = "failedPrecondition"
	return e
}
