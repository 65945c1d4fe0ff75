package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"kopi/google/fake"
	"kopi/rules"
)

// TestSetupCloneIsAFreshOffice: the office setup clones from its
// template is the one a fresh set-up gives — the same form, tabs, rows
// and state — and runs the same: a response taken in by each yields the
// same rows, records and emails (ids the fake hands out next included).
func TestSetupCloneIsAFreshOffice(t *testing.T) {
	t.Parallel()
	for _, edit := range []func(*rules.Config){nil, func(c *rules.Config) { c.SOPs = []string{"bimtek"} }} {
		cloned := setupWith(t, edit)
		// A fresh office, laid out on a new fake as the template was.
		fresh := &env{t: t, ctx: context.Background(), clock: fake.NewClock(officeStart), logs: &bytes.Buffer{}}
		srv, err := fake.New(fake.Options{Now: fresh.clock.Now, NoListener: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		fresh.srv = srv
		fresh.transport = &crashTransport{base: srv.HTTPClient().Transport}
		if err := fresh.layOut(edit); err != nil {
			t.Fatal(err)
		}
		fresh.questions = fresh.workspace().Questions
		srv.ResetCalls()

		same := func(when string) {
			t.Helper()
			if cloned.formID != fresh.formID || cloned.sheetID != fresh.sheetID || !reflect.DeepEqual(cloned.questions, fresh.questions) {
				t.Fatalf("%s: cloned office %s/%s %v, fresh %s/%s %v", when, cloned.formID, cloned.sheetID, cloned.questions, fresh.formID, fresh.sheetID, fresh.questions)
			}
			cf, _ := cloned.srv.Form(cloned.formID)
			ff, _ := fresh.srv.Form(fresh.formID)
			if !reflect.DeepEqual(cf, ff) {
				t.Errorf("%s: the forms differ:\ncloned %+v\nfresh  %+v", when, cf, ff)
			}
			if c, f := wholeSpreadsheet(t, cloned), wholeSpreadsheet(t, fresh); !reflect.DeepEqual(c, f) {
				t.Errorf("%s: the spreadsheets differ:\ncloned %q\nfresh  %q", when, c, f)
			}
			if c, f := sentSummary(cloned), sentSummary(fresh); c != f {
				t.Errorf("%s: sent mail differs:\ncloned %s\nfresh  %s", when, c, f)
			}
		}
		same("set up")
		topics := cloned.cfg.TopicNames()
		for _, e := range []*env{cloned, fresh} {
			e.submit(complete("ani", topics[0]))
			e.cycle()
		}
		same("after a cycle")
		if len(cloned.srv.Sent("me")) == 0 {
			t.Fatal("the cycle sent nothing: the comparison proves little")
		}
	}
}

// sentSummary is every sent message: its ids and stored bytes, each MIME
// boundary (random per message, by mime/multipart) written as "B".
func sentSummary(e *env) string {
	var b bytes.Buffer
	for _, m := range e.srv.Sent("me") {
		raw := string(m.Raw)
		for _, bd := range mimeBoundary.FindAllStringSubmatch(raw, -1) {
			raw = strings.ReplaceAll(raw, bd[1], "B")
		}
		fmt.Fprintf(&b, "%s|%s|%s;", m.ID, m.ThreadID, raw)
	}
	return b.String()
}

var mimeBoundary = regexp.MustCompile(`boundary="?([0-9A-Za-z'()+_,./:=?-]+)`)

// wholeSpreadsheet is the tracker as the fake holds it: each tab's
// properties, metadata and values.
func wholeSpreadsheet(t *testing.T, e *env) []any {
	t.Helper()
	ss, err := e.srv.Spreadsheet(e.sheetID)
	if err != nil {
		t.Fatal(err)
	}
	meta, err := json.Marshal(ss.DeveloperMetadata)
	if err != nil {
		t.Fatal(err)
	}
	out := []any{string(meta)}
	for _, sh := range ss.Sheets {
		js, err := json.Marshal([]any{sh.Properties, sh.DeveloperMetadata, sh.BasicFilter, sh.ProtectedRanges})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(js), e.tabRows(sh.Properties.Title))
	}
	return out
}
