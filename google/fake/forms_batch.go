package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"

	"google.golang.org/api/forms/v1"
)

// formsBatchUpdate implements forms.batchUpdate. "All the specified
// updates are made or none of them are": the requests run in order against
// a copy of the form (later requests see earlier ones' effects, e.g. the
// index of an item created just before), and the copy replaces the form
// only when every request succeeded.
func (s *Server) formsBatchUpdate(c *call) (any, error) {
	st, err := s.lookupForm(c.params["formId"])
	if err != nil {
		return nil, err
	}
	var req forms.BatchUpdateFormRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if len(req.Requests) == 0 {
		return nil, invalidArgument("requests is required: a batch needs at least one update request.")
	}
	if err := st.checkWriteControl(req.WriteControl); err != nil {
		return nil, err
	}

	work := &formState{form: cloneForm(st.form), revision: st.revision, usedIDs: maps.Clone(st.usedIDs)}
	replies := make([]*forms.Response, len(req.Requests))
	for i, r := range req.Requests {
		kind, reply, err := s.applyFormRequest(work, r)
		if err != nil {
			if kind == "" {
				return nil, invalidArgument("Invalid requests[%d]: %v", i, err)
			}
			return nil, invalidArgument("Invalid requests[%d].%s: %v", i, kind, err)
		}
		replies[i] = reply
	}

	// A revision id names the form's content: it changes whenever the
	// content did, and a batch that changed nothing keeps it.
	before, _ := json.Marshal(st.form)
	after, _ := json.Marshal(work.form)
	if !bytes.Equal(before, after) {
		st.revision++
		work.form.RevisionId = formRevisionID(st.revision)
	}
	st.form, st.usedIDs = work.form, work.usedIDs

	resp := &forms.BatchUpdateFormResponse{
		Replies:      replies,
		WriteControl: &forms.WriteControl{RequiredRevisionId: st.form.RevisionId},
	}
	if req.IncludeFormInResponse {
		resp.Form = cloneForm(st.form)
	}
	return resp, nil
}

// checkWriteControl applies WriteControl. requiredRevisionId must be the
// latest revision. The fake cannot transform a request against
// intervening changes, so it treats any targetRevisionId other than the
// latest as "too far behind", one of the outcomes Google documents.
func (st *formState) checkWriteControl(wc *forms.WriteControl) error {
	if wc == nil {
		return nil
	}
	if wc.RequiredRevisionId != "" && wc.TargetRevisionId != "" {
		return invalidArgument("Invalid JSON payload received. write_control may set only one of required_revision_id and target_revision_id.")
	}
	cur := st.form.RevisionId
	if wc.RequiredRevisionId != "" && wc.RequiredRevisionId != cur {
		return formFailedPrecondition("The required revision ID %q does not match the form's latest revision ID.", wc.RequiredRevisionId)
	}
	if wc.TargetRevisionId != "" && wc.TargetRevisionId != cur {
		return formFailedPrecondition("The target revision ID %q is too far behind the form's latest revision; read the form again and retry.", wc.TargetRevisionId)
	}
	return nil
}

// applyFormRequest applies one request to work. It returns the request's
// kind (for error messages) and its reply.
func (s *Server) applyFormRequest(work *formState, r *forms.Request) (string, *forms.Response, error) {
	if r == nil {
		return "", nil, fmt.Errorf("the request is empty")
	}
	var kinds []string
	for name, set := range map[string]bool{
		"createItem": r.CreateItem != nil, "deleteItem": r.DeleteItem != nil, "moveItem": r.MoveItem != nil,
		"updateItem": r.UpdateItem != nil, "updateFormInfo": r.UpdateFormInfo != nil, "updateSettings": r.UpdateSettings != nil,
	} {
		if set {
			kinds = append(kinds, name)
		}
	}
	switch len(kinds) {
	case 0:
		return "", nil, fmt.Errorf("the request kind is required (createItem, updateItem, moveItem, deleteItem, updateFormInfo or updateSettings)")
	case 1:
	default:
		return "", nil, fmt.Errorf("a request has exactly one kind; oneof field 'kind' is already set")
	}
	kind := kinds[0]
	reply := &forms.Response{}
	var err error
	switch kind {
	case "createItem":
		reply.CreateItem, err = s.formCreateItem(work, r.CreateItem)
	case "deleteItem":
		err = formDeleteItem(work, r.DeleteItem)
	case "moveItem":
		err = formMoveItem(work, r.MoveItem)
	case "updateItem":
		err = s.formUpdateItem(work, r.UpdateItem)
	case "updateFormInfo":
		err = formUpdateInfo(work, r.UpdateFormInfo)
	case "updateSettings":
		err = s.formUpdateSettings(work, r.UpdateSettings)
	}
	return kind, reply, err
}

// formIndex checks a location against [0, n).
func formIndex(loc *forms.Location, n int, field string) (int, error) {
	if loc == nil {
		return 0, fmt.Errorf("%s is required", field)
	}
	if loc.Index < 0 || loc.Index >= int64(n) {
		return 0, fmt.Errorf("%s.index %d is out of range: the form has %d items (valid indexes are 0..%d)", field, loc.Index, n, n-1)
	}
	return int(loc.Index), nil
}

func (f *formState) isQuiz() bool {
	s := f.form.Settings
	return s != nil && s.QuizSettings != nil && s.QuizSettings.IsQuiz
}

func (s *Server) formCreateItem(work *formState, r *forms.CreateItemRequest) (*forms.CreateItemResponse, error) {
	if r.Item == nil {
		return nil, fmt.Errorf("item is required")
	}
	if r.Location == nil {
		return nil, fmt.Errorf("location is required")
	}
	n := len(work.form.Items)
	// A new item may also go right after the last one, so n is valid here.
	if r.Location.Index < 0 || r.Location.Index > int64(n) {
		return nil, fmt.Errorf("location.index %d is out of range: the form has %d items (valid indexes are 0..%d)", r.Location.Index, n, n)
	}
	it := r.Item
	if err := validateFormItem(it, work.isQuiz(), false); err != nil {
		return nil, err
	}
	if err := s.assignFormIDs(work, it, formIDs(work.form)); err != nil {
		return nil, err
	}
	at := int(r.Location.Index)
	items := append([]*forms.Item{}, work.form.Items[:at]...)
	items = append(items, it)
	work.form.Items = append(items, work.form.Items[at:]...)
	reply := &forms.CreateItemResponse{ItemId: it.ItemId}
	for _, q := range formItemQuestions(it) {
		reply.QuestionId = append(reply.QuestionId, q.QuestionId)
	}
	return reply, nil
}

func formDeleteItem(work *formState, r *forms.DeleteItemRequest) error {
	at, err := formIndex(r.Location, len(work.form.Items), "location")
	if err != nil {
		return err
	}
	work.form.Items = append(work.form.Items[:at:at], work.form.Items[at+1:]...)
	return nil
}

func formMoveItem(work *formState, r *forms.MoveItemRequest) error {
	n := len(work.form.Items)
	from, err := formIndex(r.OriginalLocation, n, "originalLocation")
	if err != nil {
		return err
	}
	to, err := formIndex(r.NewLocation, n, "newLocation")
	if err != nil {
		return err
	}
	it := work.form.Items[from]
	rest := append(work.form.Items[:from:from], work.form.Items[from+1:]...)
	items := append([]*forms.Item{}, rest[:to]...)
	items = append(items, it)
	work.form.Items = append(items, rest[to:]...)
	return nil
}

// requiredFormMask parses an update mask that must name at least one
// field, each a field of the schema (or "*").
func (s *Server) requiredFormMask(mask, schema string) ([]string, error) {
	paths, err := formMask(mask)
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("update_mask is required: at least one field must be specified")
	}
	for _, p := range paths {
		if p != "*" {
			if err := s.checkFormMaskPath(schema, p); err != nil {
				return nil, err
			}
		}
	}
	return paths, nil
}

// formUpdateItem merges the masked fields of r.Item into the item at
// r.Location. Blank ids that the mask names are regenerated, as documented.
func (s *Server) formUpdateItem(work *formState, r *forms.UpdateItemRequest) error {
	at, err := formIndex(r.Location, len(work.form.Items), "location")
	if err != nil {
		return err
	}
	if r.Item == nil {
		return fmt.Errorf("item is required")
	}
	paths, err := s.requiredFormMask(r.UpdateMask, "Item")
	if err != nil {
		return err
	}
	old := work.form.Items[at]
	merged, err := formMergeMasked(old, r.Item, paths)
	if err != nil {
		return err
	}
	it := &forms.Item{}
	if err := formFromJSONMap(merged, it); err != nil {
		return err
	}
	if err := validateFormItem(it, work.isQuiz(), true); err != nil {
		return err
	}
	if it.QuestionItem != nil && it.QuestionItem.Question != nil && it.QuestionItem.Question.FileUploadQuestion != nil &&
		(old.QuestionItem == nil || old.QuestionItem.Question == nil || old.QuestionItem.Question.FileUploadQuestion == nil) {
		return fmt.Errorf("the API does not support creating file upload questions")
	}
	others := &forms.Form{Items: append(append([]*forms.Item{}, work.form.Items[:at]...), work.form.Items[at+1:]...)}
	if err := s.assignFormIDs(work, it, formIDs(others)); err != nil {
		return err
	}
	work.form.Items[at] = it
	return nil
}

// formUpdateInfo implements UpdateFormInfoRequest: title and description
// can change, the Drive document title cannot.
func formUpdateInfo(work *formState, r *forms.UpdateFormInfoRequest) error {
	paths, err := formMask(r.UpdateMask)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("update_mask is required: at least one field must be specified")
	}
	in := r.Info
	if in == nil {
		in = &forms.Info{}
	}
	info := *work.form.Info
	for _, p := range paths {
		switch p {
		case "*":
			info.Title, info.Description = in.Title, in.Description
		case "title":
			info.Title = in.Title
		case "description":
			info.Description = in.Description
		case "documentTitle":
			return fmt.Errorf("document_title cannot be modified by batchUpdate; use the Drive API (files.update)")
		default:
			return fmt.Errorf("field mask path %q does not name a field of Info", p)
		}
	}
	work.form.Info = &info
	return nil
}

// formUpdateSettings implements UpdateSettingsRequest. Turning a quiz off
// deletes every question's grading, as documented for QuizSettings.isQuiz.
func (s *Server) formUpdateSettings(work *formState, r *forms.UpdateSettingsRequest) error {
	if r.Settings == nil {
		return fmt.Errorf("settings is required")
	}
	paths, err := s.requiredFormMask(r.UpdateMask, "FormSettings")
	if err != nil {
		return err
	}
	wasQuiz := work.isQuiz()
	merged, err := formMergeMasked(work.form.Settings, r.Settings, paths)
	if err != nil {
		return err
	}
	settings := &forms.FormSettings{}
	if err := formFromJSONMap(merged, settings); err != nil {
		return err
	}
	if settings.EmailCollectionType == "" || settings.EmailCollectionType == "EMAIL_COLLECTION_TYPE_UNSPECIFIED" {
		settings.EmailCollectionType = "DO_NOT_COLLECT"
	}
	work.form.Settings = settings
	if wasQuiz && !work.isQuiz() {
		for _, it := range work.form.Items {
			for _, q := range formItemQuestions(it) {
				q.Grading = nil
			}
		}
	}
	return nil
}
