package fake_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/api/googleapi"

	"kopi/google/fake"
)

func TestUnknownPathIsNotFound(t *testing.T) {
	b := setup(t)
	resp, err := http.Get(b.srv.URL() + "/v9/nothing")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("status = %d, want 404", resp.StatusCode)
	}
	var body struct {
		Error struct {
			Code   int    `json:"code"`
			Status string `json:"status"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body.Error.Code != 404 || body.Error.Status != "NOT_FOUND" {
		t.Fatalf("error body = %+v", body.Error)
	}
}

func TestBadAuthorizationIs401(t *testing.T) {
	b := setup(t)
	req, _ := http.NewRequest("GET", b.srv.URL()+"/v4/spreadsheets/x", nil)
	req.Header.Set("Authorization", "Basic Zm9vOmJhcg==")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("status = %d, want 401", resp.StatusCode)
	}
}

func TestUnknownQueryParameterIs400(t *testing.T) {
	b := setup(t)
	resp, err := http.Get(b.srv.URL() + "/v4/spreadsheets/x/values/A1?bogus=1")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(raw), "INVALID_ARGUMENT") {
		t.Fatalf("status = %d body %s", resp.StatusCode, raw)
	}
}

func TestMalformedEnumQueryIs400(t *testing.T) {
	b := setup(t)
	_, err := b.sheets.Spreadsheets.Values.Get("x", "A1").ValueRenderOption("PRETTY").Do()
	assertCode(t, err, 400)
}

func TestFaultStatusRetryAfterAndTimes(t *testing.T) {
	b := setup(t)
	if err := b.srv.AddFault(fake.Fault{Method: "sheets.spreadsheets.get", Status: 429, RetryAfter: "2", Times: 2}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		_, err := b.sheets.Spreadsheets.Get("missing").Do()
		var ge *googleapi.Error
		if !errors.As(err, &ge) || ge.Code != 429 {
			t.Fatalf("call %d: err = %v, want 429", i, err)
		}
		if ge.Header.Get("Retry-After") != "2" {
			t.Fatalf("Retry-After = %q", ge.Header.Get("Retry-After"))
		}
		if len(ge.Errors) == 0 || ge.Errors[0].Reason != "rateLimitExceeded" {
			t.Fatalf("reason = %+v", ge.Errors)
		}
	}
	// The third call reaches the handler: the spreadsheet does not exist.
	_, err := b.sheets.Spreadsheets.Get("missing").Do()
	assertCode(t, err, 404)
	if got := b.srv.Calls()["sheets.spreadsheets.get"]; got != 3 {
		t.Fatalf("calls = %d, want 3", got)
	}
}

func TestFaultOverControlSurface(t *testing.T) {
	b := setup(t)
	resp, err := http.Post(b.srv.URL()+"/_fake/faults", "application/json",
		strings.NewReader(`{"method":"*","status":503,"times":1}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("add fault: %d", resp.StatusCode)
	}
	_, err = b.forms.Forms.Get("any").Do()
	assertCode(t, err, 503)
	resp, err = http.Get(b.srv.URL() + "/_fake/calls")
	if err != nil {
		t.Fatal(err)
	}
	var calls map[string]int
	_ = json.NewDecoder(resp.Body).Decode(&calls)
	resp.Body.Close()
	if calls["forms.forms.get"] != 1 {
		t.Fatalf("calls = %v", calls)
	}
	req, _ := http.NewRequest("DELETE", b.srv.URL()+"/_fake/calls", nil)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := b.srv.TotalCalls(); n != 0 {
		t.Fatalf("after reset: %d calls", n)
	}
	resp, err = http.Post(b.srv.URL()+"/_fake/faults", "application/json", strings.NewReader(`{"method":"nope.nope","status":500}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("unknown method fault accepted: %d", resp.StatusCode)
	}
}

func TestFaultDelayHonoursContext(t *testing.T) {
	b := setup(t)
	_ = b.srv.AddFault(fake.Fault{Method: "forms.forms.get", DelayMs: 5000})
	ctx, cancel := contextWithTimeout(b, 50)
	defer cancel()
	_, err := b.forms.Forms.Get("x").Context(ctx).Do()
	if err == nil || !errors.Is(err, ctx.Err()) && !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}

func assertCode(t *testing.T, err error, code int) {
	t.Helper()
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		t.Fatalf("err = %v, want googleapi error %d", err, code)
	}
	if ge.Code != code {
		t.Fatalf("code = %d (%s), want %d", ge.Code, ge.Message, code)
	}
}
