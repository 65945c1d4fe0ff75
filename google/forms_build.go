package google

import (
	"context"
	"fmt"

	"google.golang.org/api/forms/v1"
)

// firstItemReply is the index of the first createItem reply in the
// batchUpdate buildForm sends: the form's description and its
// no-sign-in setting come first.
const firstItemReply = 2

// buildForm creates a published form that asks nobody to sign in:
// forms.create with the title only (the API accepts nothing else), one
// batchUpdate for the description, the email collection setting and the
// items, then setPublishSettings — forms the API creates after 30 June
// 2026 start unpublished. The batchUpdate's replies map 1:1 to its
// requests; an item's reply is at firstItemReply + its index.
//
// A form a Workspace account creates collects *verified* emails by
// default, which requires a Google account; kopi asks for the email as
// a question of its own where it needs one, so its forms collect none
// (DO_NOT_COLLECT; RESPONDER_INPUT would add a second email field).
func buildForm(ctx context.Context, svc *forms.Service, r *Retrier, what, title, description string, items []*forms.Item) (*forms.Form, *forms.BatchUpdateFormResponse, error) {
	if r == nil {
		r = &Retrier{}
	}
	f, err := DoValue(ctx, r, NonIdempotent("forms.forms.create"), func(ctx context.Context) (*forms.Form, error) {
		return svc.Forms.Create(&forms.Form{Info: &forms.Info{Title: title, DocumentTitle: title}}).Context(ctx).Do()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("create %s: %w", what, err)
	}
	reqs := []*forms.Request{
		{UpdateFormInfo: &forms.UpdateFormInfoRequest{Info: &forms.Info{Title: title, Description: description}, UpdateMask: "description"}},
		{UpdateSettings: &forms.UpdateSettingsRequest{Settings: &forms.FormSettings{EmailCollectionType: IntakeEmailCollection}, UpdateMask: "emailCollectionType"}},
	}
	for i, it := range items {
		reqs = append(reqs, &forms.Request{CreateItem: &forms.CreateItemRequest{
			Item: it, Location: &forms.Location{Index: int64(i), ForceSendFields: []string{"Index"}},
		}})
	}
	res, err := DoValue(ctx, r, NonIdempotent("forms.forms.batchUpdate"), func(ctx context.Context) (*forms.BatchUpdateFormResponse, error) {
		return svc.Forms.BatchUpdate(f.FormId, &forms.BatchUpdateFormRequest{Requests: reqs}).Context(ctx).Do()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("add questions to %s %s: %w", what, f.FormId, err)
	}
	_, err = DoValue(ctx, r, Idempotent("forms.forms.setPublishSettings"), func(ctx context.Context) (*forms.SetPublishSettingsResponse, error) {
		return svc.Forms.SetPublishSettings(f.FormId, &forms.SetPublishSettingsRequest{
			PublishSettings: &forms.PublishSettings{PublishState: &forms.PublishState{IsPublished: true, IsAcceptingResponses: true}},
			UpdateMask:      "publishState",
		}).Context(ctx).Do()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("publish %s %s: %w", what, f.FormId, err)
	}
	return f, res, nil
}
