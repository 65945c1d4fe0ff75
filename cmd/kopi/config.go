package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"kopi/google"
	"kopi/rules"
)

// defaultConfigPath is where every subcommand looks without --config.
const defaultConfigPath = "kopi.yaml"

// officeConfig is a loaded configuration: the validated config, the
// office calendar built from it and the directory relative paths in it
// are resolved against.
type officeConfig struct {
	path string
	dir  string
	cfg  *rules.Config
	cal  *rules.Calendar
	// unconfirmed counts, per holiday file, the estimates of `kopi
	// holidays template` the office has not confirmed yet.
	unconfirmed map[string]int
}

// loadConfig reads and validates the configuration file at path, reads
// the holiday tables it names and builds the calendar. A bad file is a
// *rules.ConfigError listing every problem (key, what, how to fix).
//
// lenient names keys whose problem is tolerated while their value is
// still empty: `kopi init` is about to create the spreadsheet and the
// form, so their ids may be missing, but a malformed id is still refused.
func loadConfig(path string, lenient ...string) (*officeConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if oe := fileError(path, err, msgConfigMissing, msgConfigMissingCause, fmt.Sprintf(msgConfigMissingFix, path)); oe != nil {
			return nil, oe
		}
		return nil, fmt.Errorf(msgReadConfig, path, err)
	}
	cfg, err := rules.ParseConfig(data)
	if err != nil {
		var ce *rules.ConfigError
		if !errors.As(err, &ce) || cfg == nil {
			return nil, fmt.Errorf(msgConfigInvalid, path, err)
		}
		if rest := withoutEmptyIDs(ce.Problems, cfg, lenient); len(rest) > 0 {
			return nil, fmt.Errorf(msgConfigInvalid, path, &rules.ConfigError{Problems: rest})
		}
	}
	oc := &officeConfig{path: path, dir: filepath.Dir(path), cfg: cfg, unconfirmed: map[string]int{}}
	var fromFiles []rules.Holiday
	for _, f := range cfg.Holidays.Files {
		p := oc.resolve(f)
		b, err := os.ReadFile(p)
		if err != nil {
			if oe := fileError(p, err, msgHolidayMissing, msgHolidayMissCause, fmt.Sprintf(msgHolidayMissFix, yearIn(filepath.Base(p)), p)); oe != nil {
				return nil, oe
			}
			return nil, fmt.Errorf(msgReadHolidays, p, err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, rules.ConfirmPrefix) {
				oc.unconfirmed[p]++
			}
		}
		hs, err := rules.ParseHolidayCSV(f, b)
		if err != nil {
			return nil, &opError{what: fmt.Sprintf(msgHolidayBad, p), cause: err.Error(), fix: msgHolidayBadFix, err: err}
		}
		fromFiles = append(fromFiles, hs...)
	}
	if oc.cal, err = cfg.Calendar(fromFiles...); err != nil {
		return nil, fmt.Errorf(msgCalendar, err)
	}
	return oc, nil
}

// withoutEmptyIDs drops the problems of the lenient keys whose value is
// still empty.
func withoutEmptyIDs(ps []rules.Problem, cfg *rules.Config, lenient []string) []rules.Problem {
	var rest []rules.Problem
	for _, p := range ps {
		if slices.Contains(lenient, p.Key) && strings.TrimSpace(idValue(cfg, p.Key)) == "" {
			continue
		}
		rest = append(rest, p)
	}
	return rest
}

// The two keys `kopi init` fills in.
const (
	keySpreadsheetID = "tracker.spreadsheet_id"
	keyFormID        = "intake.form_id"
)

func idValue(cfg *rules.Config, key string) string {
	switch key {
	case keySpreadsheetID:
		return cfg.Tracker.SpreadsheetID
	case keyFormID:
		return cfg.Intake.FormID
	}
	return "?"
}

// resolve makes a path from the config file relative to its directory.
func (oc *officeConfig) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(oc.dir, p)
}

// googleOptions says how to reach Google: a fake Workspace when
// google.endpoint is set (no token), otherwise real Google with the
// OAuth token `kopi auth` saved. logger, when not nil, hears once that a
// refreshed token could not be written back (a read-only token file).
func (oc *officeConfig) googleOptions(ctx context.Context, logger *slog.Logger) (google.Options, error) {
	o := google.Options{UserAgent: "kopi/" + buildVersion()}
	if oc.cfg.Google.Endpoint != "" {
		o.Endpoint = oc.cfg.Google.Endpoint
		return o, nil
	}
	ts, err := loadToken(ctx, oc.resolve(oc.cfg.Google.CredentialsFile), oc.resolve(oc.cfg.Google.TokenFile), oc.cfg.Mail.Sender.Address)
	if err != nil {
		return o, err
	}
	if p, ok := ts.(*google.PersistentTokenSource); ok && logger != nil {
		p.OnSaveError = func(err error) { logTokenNotSaved(logger, err) }
	}
	o.TokenSource = ts
	return o, nil
}

// loadToken returns a token source from the credentials file and, for an
// installed OAuth client, the token `kopi auth` saved; a refreshed token is
// written back atomically. The token is the key to the office's mailbox
// and sheet, so a token file others can read is refused (UU 27/2022;
// SPEC §5.6). A service account key needs no token file.
func loadToken(ctx context.Context, credsPath, tokenPath, sender string) (oauth2.TokenSource, error) {
	creds, err := readCredentials(credsPath, sender)
	if err != nil {
		return nil, err
	}
	ts, _, err := creds.TokenSource(ctx, tokenPath)
	if err != nil {
		return nil, tokenFileError(tokenPath, err)
	}
	return ts, nil
}

// logTokenNotSaved tells the operator that a refreshed token lives in
// memory only: quietly for an access token (a read-only Secret is the
// normal container setup), as a warning for a rotated refresh token
// (the file's one may be refused after this process ends).
func logTokenNotSaved(logger *slog.Logger, err error) {
	var ns *google.TokenNotSavedError
	if errors.As(err, &ns) && ns.Rotated {
		logger.Warn(msgTokenRotatedNotSaved, "berkas", ns.Path)
		return
	}
	if errors.As(err, &ns) {
		logger.Info(msgTokenNotSaved, "berkas", ns.Path)
		return
	}
	logger.Warn(msgTokenNotSaved, "galat", err)
}

// readCredentials reads the credentials file, naming it in the error.
func readCredentials(credsPath, sender string) (*google.Credentials, error) {
	cb, err := os.ReadFile(credsPath)
	if err != nil {
		if oe := fileError(credsPath, err, msgCredsMissing, msgCredsMissingCause, fmt.Sprintf(msgCredsMissingFix, credsPath)); oe != nil {
			return nil, oe
		}
		return nil, fmt.Errorf(msgCredsRead, credsPath, err)
	}
	creds, err := google.ParseCredentials(cb, sender)
	if err != nil {
		return nil, &opError{what: fmt.Sprintf(msgCredsBadWhat, credsPath), cause: msgCredsBadCause, fix: msgCredsBadFix, detail: err.Error(), err: err}
	}
	return creds, nil
}

// tokenFileError turns google's token file errors into the operator's
// Indonesian message.
func tokenFileError(tokenPath string, err error) error {
	var insecure *google.InsecureTokenError
	var bad *google.BadTokenError
	switch {
	case errors.Is(err, google.ErrTokenMissing):
		return &opError{what: fmt.Sprintf(msgTokenMissingWhat, tokenPath), cause: msgTokenMissingCause, fix: msgTokenMissingFix, err: err}
	case errors.As(err, &insecure):
		return &opError{what: fmt.Sprintf(msgTokenPermWhat, tokenPath, insecure.Mode.Perm()), cause: msgTokenPermCause, fix: fmt.Sprintf(msgTokenPermFix, tokenPath), err: err}
	case errors.As(err, &bad):
		return &opError{what: fmt.Sprintf(msgTokenBadWhat, tokenPath), cause: msgTokenBadCause, fix: msgTokenBadFix, err: err}
	}
	if oe := fileError(tokenPath, err, msgTokenMissingWhat, msgTokenMissingCause, msgTokenMissingFix); oe != nil {
		return oe
	}
	return fmt.Errorf(msgTokenRead, tokenPath, err)
}

// session is what every command that talks to Google starts from: the
// office's configuration, the logger it asks for, and the options of the
// Google clients.
type session struct {
	*officeConfig
	logger *slog.Logger
	google google.Options
}

// openSession loads the configuration (see loadConfig for lenient keys),
// builds the logger on w and the Google client options.
func openSession(ctx context.Context, w io.Writer, path string, lenient ...string) (*session, error) {
	oc, err := loadConfig(path, lenient...)
	if err != nil {
		return nil, err
	}
	logger, err := newLogger(w, oc.cfg.Log, oc.cfg.Location())
	if err != nil {
		return nil, err
	}
	gopts, err := oc.googleOptions(ctx, logger)
	if err != nil {
		return nil, err
	}
	return &session{officeConfig: oc, logger: logger, google: gopts}, nil
}
