package fake_test

import (
	"testing"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/google/fake"
)

// TestFormsFilterOnEditedResponse: Google documents the filter as
// "submitted after N" and is silent on edits. By default an edited
// response passes a filter after its edit time (lastSubmittedTime); with
// FormsFilterByCreateTime it does not (createTime). An unfiltered list
// shows it either way.
func TestFormsFilterOnEditedResponse(t *testing.T) {
	for _, byCreate := range []bool{false, true} {
		r := newResponsesFormWith(t, fake.Options{FormsFilterByCreateTime: byCreate})
		a := r.submit(t, t0, "A")
		r.clock.Set(t0.Add(time.Hour))
		if _, err := r.b.srv.EditResponse(r.formID, a.ResponseId, map[string]*forms.Answer{r.text: textAnswer("A2"), r.radio: textAnswer("Keuangan")}); err != nil {
			t.Fatal(err)
		}
		l, err := r.list("timestamp > "+t0.Add(30*time.Minute).UTC().Format(time.RFC3339), 0, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := len(l.Responses) == 1; got == byCreate {
			t.Errorf("byCreate=%v: edited response listed = %v", byCreate, got)
		}
		all, err := r.list("", 0, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Responses) != 1 || all.Responses[0].LastSubmittedTime == all.Responses[0].CreateTime {
			t.Errorf("byCreate=%v: unfiltered list = %+v", byCreate, all.Responses)
		}
	}
}

// TestFormsWorkspaceDefaults: under WorkspaceFormDefaults a form created
// through the API collects verified emails and is unpublished, as Google
// documents for Workspace accounts and forms created after 30 June 2026;
// otherwise it collects none and is published.
func TestFormsWorkspaceDefaults(t *testing.T) {
	for _, ws := range []bool{false, true} {
		b := setupWith(t, fake.Options{WorkspaceFormDefaults: ws})
		f := newForm(t, b, "Konsultasi")
		want := map[bool]string{false: "DO_NOT_COLLECT", true: "VERIFIED"}[ws]
		if got := f.Settings.EmailCollectionType; got != want {
			t.Errorf("workspace=%v: emailCollectionType %q, want %q", ws, got, want)
		}
		if pub := f.PublishSettings.PublishState.IsPublished; pub == ws {
			t.Errorf("workspace=%v: published = %v", ws, pub)
		}
		_, err := b.srv.SubmitResponse(f.FormId, nil, "")
		if (err != nil) != ws {
			t.Errorf("workspace=%v: response without sign-in: %v", ws, err)
		}
	}
}
