package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"sort"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"kopi/google"
	"kopi/rules"
	"kopi/sop"
)

// checkOptions are the flags of `kopi check` and what tests inject.
type checkOptions struct {
	configPath string
	live       bool

	// endpoint, when set, sends the API calls to a fake Workspace while
	// the credential and token checks still run as for real Google (tests).
	endpoint string
	// tokenInfoURL overrides google.TokenInfoURL (tests).
	tokenInfoURL string
	// now is the office clock for the calendar checks; nil is time.Now.
	now func() time.Time
	// httpClient carries every request; nil is a client with a timeout.
	httpClient *http.Client
}

// runCheck parses `kopi check` flags.
func runCheck(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "check", "[--config kopi.yaml] [--live]")
	var o checkOptions
	fs.StringVar(&o.configPath, "config", defaultConfigPath, "berkas konfigurasi")
	fs.BoolVar(&o.live, "live", false, "juga uji langsung: buat lalu hapus draf Gmail, baca spreadsheet, baca satu tanggapan formulir")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	return check(ctx, env, o)
}

// report prints the diagnosis, one line per finding, and counts the
// problems.
type report struct {
	w        io.Writer
	problems int
}

func (r *report) ok(format string, a ...any) {
	fmt.Fprintln(r.w, checkOK+fmt.Sprintf(format, a...))
}

func (r *report) warn(format string, a ...any) {
	fmt.Fprintln(r.w, checkWarn+fmt.Sprintf(format, a...))
}

// failed prints a failed Google call as what was being done, the
// failure class's cause and its fix (explainGoogle).
func (r *report) failed(what string, err error, cfg *rules.Config) {
	r.problems++
	fmt.Fprintln(r.w, checkProblem+explainGoogle(what, err, cfg).Error())
}

// problem prints what is wrong and how to fix it.
func (r *report) problem(what, fix string) {
	r.problems++
	fmt.Fprintln(r.w, checkProblem+what+checkFixSep+fix)
}

// maxClockSkew is how far the local clock may drift from Google's before
// `kopi check` complains: OAuth assertions and deadlines tolerate less
// than a few minutes.
const maxClockSkew = 2 * time.Minute

// check runs every diagnosis and fails when any found a problem.
func check(ctx context.Context, env *environment, o checkOptions) error {
	r := &report{w: env.stdout}
	if o.now == nil {
		o.now = env.clock()
	}
	hc := o.httpClient
	if hc == nil {
		hc = &http.Client{Timeout: google.DefaultTimeout}
	}
	oc, err := loadConfig(o.configPath)
	if err != nil {
		r.problem(fmt.Sprintf(chkConfigBad, err), chkConfigBadFix)
		return fmt.Errorf(msgCheckFail, r.problems)
	}
	cfg := oc.cfg
	r.ok(chkConfigOK, o.configPath)
	checkCalendar(r, oc, o.now())

	gopts := google.Options{HTTPClient: hc, UserAgent: "kopi/" + buildVersion(), Endpoint: o.endpoint}
	clockURL := o.tokenInfoURL
	if clockURL == "" {
		clockURL = google.TokenInfoURL
	}
	if cfg.Google.Endpoint != "" {
		gopts.Endpoint = cfg.Google.Endpoint
		clockURL = cfg.Google.Endpoint
	}
	// Reaching Google at all comes first: when the network is down every
	// later check would fail too, each with a misleading fix.
	if !checkClock(ctx, r, hc, clockURL, cfg) {
		r.warn(chkSkipOffline)
		return fmt.Errorf(msgCheckFail, r.problems)
	}
	if cfg.Google.Endpoint != "" {
		r.ok(chkFakeOK, cfg.Google.Endpoint)
	} else {
		tctx := context.WithValue(ctx, oauth2.HTTPClient, hc)
		ts := checkToken(tctx, r, oc, o, hc)
		if ts == nil {
			r.warn(chkSkipAPI)
			return fmt.Errorf(msgCheckFail, r.problems)
		}
		gopts.TokenSource = ts
	}
	checkWorkspace(ctx, r, cfg, gopts, o.live)
	if r.problems > 0 {
		return fmt.Errorf(msgCheckFail, r.problems)
	}
	fmt.Fprintln(env.stdout, msgCheckDone)
	return nil
}

// checkCalendar checks the time zone and the holiday table's years.
func checkCalendar(r *report, oc *officeConfig, now time.Time) {
	loc, err := time.LoadLocation(oc.cfg.TimeZone)
	if err != nil { // Validate loads it already; kept for a clear line
		r.problem(err.Error(), chkConfigBadFix)
		return
	}
	local := now.In(loc)
	r.ok(chkTZOK, oc.cfg.TimeZone, local.Format("2006-01-02 15:04 MST"))
	if y, missing := oc.cal.MissingHolidayYear(now); missing && y == local.Year() {
		r.problem(fmt.Sprintf(chkHolidayBad, y), fmt.Sprintf(chkHolidayFix, y))
	} else {
		r.ok(chkHolidayOK, local.Year())
		if missing {
			r.warn(chkHolidayNext, y)
		}
	}
	for _, f := range oc.cfg.Holidays.Files {
		p := oc.resolve(f)
		if n := oc.unconfirmed[p]; n > 0 {
			r.warn(chkHolidayTodo, p, n, strings.TrimSpace(rules.ConfirmPrefix))
		}
	}
}

// checkToken checks the credentials file, the token file and the token
// itself: private, fresh or refreshable, granting every scope. It returns
// the token source, or nil when Google cannot be reached with it.
func checkToken(ctx context.Context, r *report, oc *officeConfig, o checkOptions, hc *http.Client) oauth2.TokenSource {
	credsPath := oc.resolve(oc.cfg.Google.CredentialsFile)
	tokenPath := oc.resolve(oc.cfg.Google.TokenFile)
	sender := oc.cfg.Mail.Sender.Address
	creds, err := readCredentials(credsPath, sender)
	if err != nil {
		r.problem(err.Error(), chkCredsFix)
		return nil
	}
	scopeFix := chkScopesFix
	if creds.Delegated() {
		r.ok(chkCredsSA, credsPath, creds.ServiceAccountEmail(), sender)
		scopeFix = fmt.Sprintf(chkTokenSAFix, strings.Join(google.Scopes(), ","))
	} else {
		r.ok(chkCredsInstalled, credsPath)
	}
	ts, loaded, err := creds.TokenSource(ctx, tokenPath)
	if err != nil {
		var insecure *google.InsecureTokenError
		fix := chkTokenFix
		if errors.As(err, &insecure) {
			fix = fmt.Sprintf(chkTokenPermFix, tokenPath)
		}
		r.problem(tokenFileError(tokenPath, err).Error(), fix)
		return nil
	}
	tok, err := ts.Token()
	if err != nil {
		var re *google.ReauthRequiredError
		switch {
		case errors.As(err, &re) && re.ServiceAccount:
			r.problem(err.Error(), scopeFix)
		case errors.As(err, &re):
			r.problem(chkReauth, chkReauthFix)
		default:
			r.problem(fmt.Sprintf(chkTokenFail, err), chkTokenNetFix)
		}
		return nil
	}
	switch {
	case creds.Delegated():
		r.ok(chkTokenSA, sender)
	case loaded != nil && tok.AccessToken == loaded.AccessToken:
		r.ok(chkTokenFresh, tokenPath, tok.Expiry.In(oc.cfg.Location()).Format("2006-01-02 15:04 MST"))
	default:
		r.ok(chkTokenRefreshed, tokenPath, tok.Expiry.In(oc.cfg.Location()).Format("2006-01-02 15:04 MST"))
	}
	info, err := google.FetchTokenInfo(ctx, hc, o.tokenInfoURL, tok.AccessToken)
	var invalid *google.InvalidTokenError
	switch {
	case errors.As(err, &invalid):
		r.problem(chkTokenInvalid, chkTokenFix)
		return nil
	case err != nil:
		r.problem(fmt.Sprintf(chkScopesFail, err), chkTokenNetFix)
		return ts
	}
	if missing := google.MissingScopes(info.Scopes); len(missing) > 0 {
		r.problem(fmt.Sprintf(chkScopesBad, joinQuoted(missing)), scopeFix)
		return ts
	}
	r.ok(chkScopesOK, len(info.Scopes))
	return ts
}

// checkClock compares the machine's clock (the real one, whatever office
// clock the tests inject) with the Date header of Google's answer. It
// reports false when Google (or the fake) cannot be reached at all.
func checkClock(ctx context.Context, r *report, hc *http.Client, url string, cfg *rules.Config) bool {
	server, err := google.ServerTime(ctx, hc, url)
	if err != nil {
		if google.IsUnreachable(err) {
			r.failed(chkReach, err, cfg)
			return false
		}
		r.warn(chkClockUnknown)
		return true
	}
	skew := time.Since(server)
	if skew < 0 {
		skew = -skew
	}
	// Date has one-second resolution.
	if skew > maxClockSkew {
		r.problem(fmt.Sprintf(chkClockBad, skew.Round(time.Second)), chkClockFix)
		return true
	}
	r.ok(chkClockOK, skew.Round(time.Second))
	return true
}

// checkWorkspace checks the intake form, the tracker and Gmail, and with
// live a harmless round trip on each.
func checkWorkspace(ctx context.Context, r *report, cfg *rules.Config, gopts google.Options, live bool) {
	svc, err := google.NewServices(ctx, gopts)
	if err != nil {
		r.failed(msgNewServices, err, cfg)
		return
	}
	// A diagnosis should answer within seconds, not wait out an outage.
	retry := &google.Retrier{Policy: google.Policy{MaxAttempts: 3, MaxElapsed: 15 * time.Second}}
	forms := google.NewForms(svc.Forms, retry)
	defs, err := sop.Resolve(cfg.SOPs)
	if err == nil {
		err = google.CheckSOPs(defs)
	}
	if err != nil {
		r.problem(fmt.Sprintf(chkSOPBad, err), chkSOPBadFix)
		defs = nil
	}
	tracker := google.NewTracker(google.NewSheets(svc.Sheets, retry, cfg.Tracker.SpreadsheetID), cfg).RunSOPs(defs)
	_, domain, _ := strings.Cut(cfg.Mail.Sender.Address, "@")
	gmail := google.NewGmail(svc.Gmail, retry, domain, time.Now)

	checkForm(ctx, r, cfg, forms)
	sheetOK := checkTracker(ctx, r, cfg, tracker)
	if sheetOK {
		checkSOPs(ctx, r, cfg, tracker)
	}
	gmailOK := checkGmail(ctx, r, cfg, gmail)
	if !live {
		return
	}
	if gmailOK {
		sender := mail.Address{Name: cfg.Mail.Sender.Name, Address: cfg.Mail.Sender.Address}
		if err := gmail.DraftRoundTrip(ctx, sender); err != nil {
			r.failed(chkLiveDraftBad, err, cfg)
		} else {
			r.ok(chkLiveDraftOK, sender.Address)
		}
	}
	if sheetOK {
		snap, _, err := tracker.Read(ctx)
		if err != nil {
			r.failed(chkLiveSheetBad, err, cfg)
		} else {
			r.ok(chkLiveSheetOK, len(snap.Cases), len(snap.Roster))
			for _, p := range snap.Problems {
				r.warn(chkTrackerNote, p)
			}
		}
	}
	if n, err := forms.ResponsesReachable(ctx, cfg.Intake.FormID); err != nil {
		r.failed(chkLiveFormBad, err, cfg)
	} else {
		r.ok(chkLiveFormOK, n)
	}
}

// checkForm checks that the intake form is readable and that every mapped
// question is on it, listing the titles the form has when one is not.
func checkForm(ctx context.Context, r *report, cfg *rules.Config, forms *google.Forms) {
	info, err := forms.Form(ctx, cfg.Intake.FormID)
	if err != nil {
		r.failed(fmt.Sprintf(chkFormBad, cfg.Intake.FormID), err, cfg)
		return
	}
	r.ok(chkFormOK, info.Title, len(info.Questions))
	ids, err := rules.ResolveQuestions(cfg.Intake.Questions, info.Questions)
	var me *rules.MappingError
	switch {
	case errors.As(err, &me):
		fix := fmt.Sprintf(chkQuestionFix, joinQuoted(me.Available))
		for _, f := range rules.AllFields {
			if t, ok := me.NotFound[f]; ok {
				r.problem(fmt.Sprintf(chkQuestionBad, f, t), fix)
			}
			if t, ok := me.Ambiguous[f]; ok {
				r.problem(fmt.Sprintf(chkQuestionTwice, f, t), fix)
			}
		}
	case err != nil:
		r.failed(fmt.Sprintf(chkFormBad, cfg.Intake.FormID), err, cfg)
	default:
		r.ok(chkQuestionsOK, len(ids))
	}
}

// checkTracker checks the tracker's tabs, headers and protections. It
// reports whether the spreadsheet could be read at all.
func checkTracker(ctx context.Context, r *report, cfg *rules.Config, t *google.Tracker) bool {
	rep, err := t.CheckLayout(ctx)
	if err != nil {
		r.failed(fmt.Sprintf(chkSheetBad, cfg.Tracker.SpreadsheetID), err, cfg)
		return false
	}
	for _, tab := range rep.MissingTabs {
		r.problem(fmt.Sprintf(chkTabMissing, tab, joinQuoted(rep.Tabs)), chkTabFix)
	}
	for _, tab := range sortedKeys(rep.MissingHeaders) {
		for _, h := range rep.MissingHeaders[tab] {
			r.problem(fmt.Sprintf(chkHeaderMissing, h, tab), fmt.Sprintf(chkHeaderFix, h))
		}
	}
	for _, tab := range sortedKeys(rep.Renamed) {
		for _, h := range rep.Renamed[tab] {
			r.problem(fmt.Sprintf(chkHeaderRenamed, h.Want, tab, h.Got), fmt.Sprintf(chkHeaderRenFix, h.Want))
		}
	}
	for _, tab := range sortedKeys(rep.Unprotected) {
		cols := rep.Unprotected[tab]
		if len(cols) == 1 && cols[0] == "*" {
			r.problem(fmt.Sprintf(chkUnprotHidden, tab), fmt.Sprintf(chkProtHiddenFix, tab))
			continue
		}
		r.problem(fmt.Sprintf(chkUnprotected, tab, joinQuoted(cols)), chkProtectFix)
	}
	for _, tab := range rep.Unlocked {
		r.problem(fmt.Sprintf(chkUnlocked, tab), fmt.Sprintf(chkUnlockedFix, tab))
	}
	if rep.OK() {
		r.ok(chkSheetOK, len(t.Schemas()))
	}
	return len(rep.MissingTabs) == 0
}

// checkSOPs checks that every role of the SOPs the config runs has a
// person to email in the Peran tab (their tabs, Peran and Riwayat are
// checked with the others by checkTracker).
func checkSOPs(ctx context.Context, r *report, cfg *rules.Config, t *google.Tracker) {
	if len(t.SOPs()) == 0 {
		return
	}
	gaps, err := t.CheckSOPRoles(ctx)
	if err != nil {
		r.failed(chkRolesBad, err, cfg)
		return
	}
	for _, b := range gaps.BadEmails {
		r.problem(fmt.Sprintf(chkRoleBadEmail, b.Email, b.Role, b.Row), chkRoleBadEmailFix)
	}
	for _, d := range t.SOPs() {
		for _, role := range gaps.Unfilled[d.ID] {
			r.problem(fmt.Sprintf(chkRoleEmpty, role, d.ID, google.RolesTab.Title), fmt.Sprintf(chkRoleEmptyFix, role))
		}
		if len(gaps.Unfilled[d.ID]) == 0 {
			r.ok(chkSOPOK, d.ID, d.Tab, google.RolesTab.Title, google.HistoryTab.Title, len(d.Roles), google.RolesTab.Title)
		}
	}
}

// checkGmail checks that the token reaches the sender's mailbox. It
// reports whether Gmail answered.
func checkGmail(ctx context.Context, r *report, cfg *rules.Config, g *google.Gmail) bool {
	addr, err := g.SenderAddress(ctx)
	if err != nil {
		r.failed(chkGmailBad, err, cfg)
		return false
	}
	want := cfg.Mail.Sender.Address
	if !strings.EqualFold(addr, want) {
		r.problem(fmt.Sprintf(chkGmailOther, addr, want), fmt.Sprintf(chkGmailOtherFix, want))
		return true
	}
	r.ok(chkGmailOK, addr)
	return true
}

// joinQuoted lists strings quoted and comma-separated.
func joinQuoted(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
