package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"google.golang.org/api/googleapi"

	"kopi/google"
	"kopi/rules"
)

// englishWords are words that betray an untranslated message: Go's and
// Google's error texts, and plain English the operator may not read.
var englishWords = regexp.MustCompile(`(?i)\b(error|failed|failure|not found|no such|permission denied|connection refused|giving up|attempt|requested|entity|unknown|outcome|cannot|could not|unable|invalid|the|and|please|check|run|read|open)\b`)

// assertOperatorMessage fails unless msg is Indonesian and carries a fix:
// "<what>: <cause> — cara memperbaiki: <fix>" and, optionally, a
// technical detail in parentheses, which is for the developers.
func assertOperatorMessage(t *testing.T, name, msg string) {
	t.Helper()
	if i := strings.Index(msg, " ("+msgDetail); i >= 0 {
		msg = msg[:i]
	}
	what, fix, ok := strings.Cut(msg, checkFixSep)
	if !ok || len(strings.TrimSpace(fix)) < 15 {
		t.Errorf("%s: no fix in %q", name, msg)
		return
	}
	if _, cause, ok := strings.Cut(what, ": "); !ok || len(strings.TrimSpace(cause)) < 15 {
		t.Errorf("%s: no cause in %q", name, msg)
	}
	// Commands, config keys and paths are code, not English prose.
	prose := regexp.MustCompile("`[^`]*`|[a-z_]+\\.[a-z_.]+|\\S*/\\S*|\"[^\"]*\"").ReplaceAllString(msg, "")
	if w := englishWords.FindString(prose); w != "" {
		t.Errorf("%s: English %q in %q", name, w, msg)
	}
	if strings.Contains(msg, "%!") {
		t.Errorf("%s: format error in %q", name, msg)
	}
}

// TestEveryGoogleFailureHasAnIndonesianMessageWithAFix walks every
// failure class Google calls can end in, for each kind of file and for
// real Google and the fake.
func TestEveryGoogleFailureHasAnIndonesianMessageWithAFix(t *testing.T) {
	cfg := rules.DefaultConfig()
	cfg.Intake.FormID = "1FormIdFormIdFormIdFormId"
	cfg.Tracker.SpreadsheetID = "1SheetIdSheetIdSheetIdShee"
	cfg.Mail.Sender.Address = "kopi@inspektorat.example.go.id"
	methods := []string{"forms.forms.get", "sheets.spreadsheets.get", "gmail.users.getProfile", ""}
	for _, endpoint := range []string{"", "http://127.0.0.1:8085"} {
		cfg.Google.Endpoint = endpoint
		for _, f := range google.Failures {
			for _, m := range methods {
				err := failureError(f, m)
				if got := google.FailureOf(err); got != f {
					t.Fatalf("test error for class %d classed %d", f, got)
				}
				name := fmt.Sprintf("class %d on %q (endpoint %q)", f, m, endpoint)
				assertOperatorMessage(t, name, explain("jalankan siklus", err, cfg).Error())
			}
		}
	}
}

// failureError builds an error of class f as the retry loop returns it.
func failureError(f google.Failure, method string) error {
	var cause error
	api := func(code int, reason string) error {
		return &googleapi.Error{Code: code, Message: "Requested entity was not found.", Errors: []googleapi.ErrorItem{{Reason: reason}}}
	}
	switch f {
	case google.FailureOther:
		cause = errors.New("something odd happened")
	case google.FailureUnreachable:
		cause = fmt.Errorf("dial: %w", &netDNSError)
	case google.FailureTLS:
		cause = errTLS
	case google.FailureTimeout:
		cause = context.DeadlineExceeded
	case google.FailureNotFound:
		cause = api(404, "notFound")
	case google.FailurePermission:
		cause = api(403, "forbidden")
	case google.FailureScope:
		cause = api(403, google.ReasonInsufficientPermissions)
	case google.FailureUnauthorized:
		cause = api(401, "authError")
	case google.FailureRateLimited:
		cause = api(429, "rateLimitExceeded")
	case google.FailureServer:
		cause = api(503, "backendError")
	case google.FailureBadRequest:
		cause = api(400, "badRequest")
	case google.FailureReauth:
		cause = &google.ReauthRequiredError{Err: errors.New("oauth2: \"invalid_grant\"")}
	case google.FailureCanceled:
		cause = context.Canceled
	}
	if method == "" {
		return cause
	}
	return &google.PermanentError{Method: method, Attempts: 1, Err: cause}
}

// TestFileFailuresHaveAnIndonesianMessageWithAFix walks the files an
// operator provides: config, holiday table, credentials, token.
func TestFileFailuresHaveAnIndonesianMessageWithAFix(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "tidak-ada.yaml")
	_, err := loadConfig(missing)
	assertOperatorMessage(t, "config missing", err.Error())
	if !strings.Contains(err.Error(), "cp kopi.example.yaml") {
		t.Errorf("config missing: no hint to copy the example: %v", err)
	}

	b, err := os.ReadFile(filepath.Join("testdata", "real-google.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "kopi.yaml")
	withHolidays := string(b) + "\nholidays:\n  files: [libur-2027.csv]\n"
	if err := os.WriteFile(cfgPath, []byte(withHolidays), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = loadConfig(cfgPath)
	if err == nil {
		t.Fatal("a missing holiday file was accepted")
	}
	assertOperatorMessage(t, "holidays missing", err.Error())
	if !strings.Contains(err.Error(), "kopi holidays template 2027") {
		t.Errorf("holidays missing: no hint to the template: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "libur-2027.csv"), []byte("bukan,csv\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err = loadConfig(cfgPath); err == nil {
		t.Fatal("a bad holiday file was accepted")
	} else if !strings.Contains(err.Error(), checkFixSep) {
		t.Errorf("holidays bad: no fix: %v", err)
	}

	_, err = readCredentials(filepath.Join(dir, "credentials.json"), "kopi@inspektorat.example.go.id")
	assertOperatorMessage(t, "credentials missing", err.Error())
	if err := os.WriteFile(filepath.Join(dir, "credentials.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = readCredentials(filepath.Join(dir, "credentials.json"), "kopi@inspektorat.example.go.id")
	assertOperatorMessage(t, "credentials bad", err.Error())

	tok := filepath.Join(dir, "token.json")
	for name, cause := range map[string]error{
		"token missing":    google.ErrTokenMissing,
		"token insecure":   &google.InsecureTokenError{Path: tok, Mode: 0o644},
		"token bad":        &google.BadTokenError{Path: tok},
		"token unreadable": &fs.PathError{Op: "open", Path: tok, Err: fs.ErrPermission},
	} {
		assertOperatorMessage(t, name, tokenFileError(tok, cause).Error())
	}
}

var (
	netDNSError = net.DNSError{Err: "no such host", Name: "forms.googleapis.com"}
	errTLS      = x509.UnknownAuthorityError{}
)

// TestPortInUseIsExplained: a second fake on a taken port says so, with
// how to find and stop the first.
func TestPortInUseIsExplained(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := kopi(t, "fake-workspace", "--addr", ln.Addr().String())
	if r.err == nil {
		t.Fatal("fake-workspace started on a taken port")
	}
	assertOperatorMessage(t, "port in use", r.err.Error())
	if !strings.Contains(r.err.Error(), "sudah dipakai") {
		t.Errorf("no port-in-use cause: %v", r.err)
	}
}

// TestOnceWithUnknownFormSaysNotFound: the example — a form id
// that does not exist — is one Indonesian message with the fix, not
// "googleapi: Error 404: Requested entity was not found., notFound".
func TestOnceWithUnknownFormSaysNotFound(t *testing.T) {
	o := readyOffice(t)
	if err := setConfigValue(o.config, keyFormID, "1FormulirYangTidakAdaTidakAda00"); err != nil {
		t.Fatal(err)
	}
	r := kopi(t, "once", "--config", o.config)
	if r.err == nil {
		t.Fatal("once ran with an unknown form")
	}
	assertOperatorMessage(t, "once, unknown form", r.err.Error())
	if !strings.Contains(r.err.Error(), "Google tidak menemukan formulir dengan ID ini") {
		t.Errorf("err = %v", r.err)
	}
}
