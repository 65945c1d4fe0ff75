package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/oauth2"
	oauthgoogle "golang.org/x/oauth2/google"

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
	oc := &officeConfig{path: path, dir: filepath.Dir(path), cfg: cfg}
	var fromFiles []rules.Holiday
	for _, f := range cfg.Holidays.Files {
		p := oc.resolve(f)
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf(msgReadHolidays, p, err)
		}
		hs, err := rules.ParseHolidayCSV(f, b)
		if err != nil {
			return nil, fmt.Errorf(msgReadHolidays, p, err)
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
// OAuth token `kopi auth` saved.
func (oc *officeConfig) googleOptions(ctx context.Context) (google.Options, error) {
	o := google.Options{UserAgent: "kopi/" + buildVersion()}
	if oc.cfg.Google.Endpoint != "" {
		o.Endpoint = oc.cfg.Google.Endpoint
		return o, nil
	}
	ts, err := loadToken(ctx, oc.resolve(oc.cfg.Google.CredentialsFile), oc.resolve(oc.cfg.Google.TokenFile))
	if err != nil {
		return o, err
	}
	o.TokenSource = ts
	return o, nil
}

// loadToken returns a token source from the OAuth client file (Google's
// "installed" application format) and the saved token. The token is the
// key to the office's mailbox and sheet, so a token file others can read
// is refused (UU 27/2022; SPEC §5.6).
func loadToken(ctx context.Context, credsPath, tokenPath string) (oauth2.TokenSource, error) {
	st, err := os.Stat(tokenPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf(msgTokenMissing, tokenPath)
	case err != nil:
		return nil, fmt.Errorf(msgTokenStat, tokenPath, err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf(msgTokenPerm, tokenPath, st.Mode().Perm(), tokenPath)
	}
	tb, err := os.ReadFile(tokenPath)
	if err != nil {
		return nil, fmt.Errorf(msgTokenRead, tokenPath, err)
	}
	var tok oauth2.Token
	if err := json.Unmarshal(tb, &tok); err != nil || (tok.AccessToken == "" && tok.RefreshToken == "") {
		return nil, fmt.Errorf(msgTokenBad, tokenPath)
	}
	cb, err := os.ReadFile(credsPath)
	if err != nil {
		return nil, fmt.Errorf(msgCredsRead, credsPath, err)
	}
	conf, err := oauthgoogle.ConfigFromJSON(cb, google.Scopes()...)
	if err != nil {
		return nil, fmt.Errorf(msgCredsBad, credsPath, err)
	}
	return conf.TokenSource(ctx, &tok), nil
}
