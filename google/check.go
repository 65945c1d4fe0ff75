package google

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/forms/v1"
	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// The probes `kopi check` runs over the official clients. Each answers
// one question an operator has before go-live ("does the token grant the
// scopes?", "are the tracker's tabs, headers and protections intact?",
// "is the token the sender's mailbox?") and returns facts, not prose: the
// command turns them into Indonesian lines.

// TokenInfoURL is Google's token introspection endpoint; tests point it at
// a local fake.
var TokenInfoURL = "https://oauth2.googleapis.com/tokeninfo"

// TokenInfo is what Google's tokeninfo endpoint says of an access token.
type TokenInfo struct {
	// Scopes are the scopes the token grants.
	Scopes []string
	// ExpiresIn is the token's remaining life.
	ExpiresIn time.Duration
	// ServerTime is the Date header of the answer (zero if absent), for
	// checking the local clock.
	ServerTime time.Time
}

// InvalidTokenError reports that tokeninfo does not know the access token
// (expired or revoked).
type InvalidTokenError struct{ Status int }

// Error names the HTTP status.
func (e *InvalidTokenError) Error() string {
	return fmt.Sprintf("tokeninfo: access token not valid (HTTP %d)", e.Status)
}

// FetchTokenInfo asks the tokeninfo endpoint at endpoint (TokenInfoURL when
// empty) about accessToken.
func FetchTokenInfo(ctx context.Context, hc *http.Client, endpoint, accessToken string) (*TokenInfo, error) {
	if endpoint == "" {
		endpoint = TokenInfoURL
	}
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"?access_token="+url.QueryEscape(accessToken), nil)
	if err != nil {
		return nil, fmt.Errorf("tokeninfo: %w", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		// The URL carries the token: report the failure without it.
		return nil, fmt.Errorf("tokeninfo: %w", redactURL(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return nil, fmt.Errorf("tokeninfo: read answer: %w", err)
	}
	info := &TokenInfo{}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		info.ServerTime = d
	}
	if resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized {
		return info, &InvalidTokenError{Status: resp.StatusCode}
	}
	if resp.StatusCode != http.StatusOK {
		return info, fmt.Errorf("tokeninfo: HTTP %d", resp.StatusCode)
	}
	var ti struct {
		Scope     string `json:"scope"`
		ExpiresIn any    `json:"expires_in"` // Google sends a string
	}
	if err := json.Unmarshal(body, &ti); err != nil {
		return info, fmt.Errorf("tokeninfo: decode answer: %w", err)
	}
	info.Scopes = strings.Fields(ti.Scope)
	switch v := ti.ExpiresIn.(type) {
	case string:
		if n, err := strconv.Atoi(v); err == nil {
			info.ExpiresIn = time.Duration(n) * time.Second
		}
	case float64:
		info.ExpiresIn = time.Duration(v) * time.Second
	}
	return info, nil
}

// redactURL drops the query (which holds the access token) from a
// *url.Error.
func redactURL(err error) error {
	if ue, ok := err.(*url.Error); ok {
		c := *ue
		if u, perr := url.Parse(c.URL); perr == nil {
			u.RawQuery = ""
			c.URL = u.String()
		}
		return &c
	}
	return err
}

// ServerTime returns the Date header of a HEAD request to rawURL: Google's
// idea of now, to compare with the local clock. Any HTTP status will do.
func ServerTime(ctx context.Context, hc *http.Client, rawURL string) (time.Time, error) {
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, rawURL, nil)
	if err != nil {
		return time.Time{}, fmt.Errorf("read server time: %w", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return time.Time{}, fmt.Errorf("read server time: %w", err)
	}
	resp.Body.Close()
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return time.Time{}, fmt.Errorf("read server time: no Date header")
	}
	return d, nil
}

// LayoutReport is the state of the tracking spreadsheet's structure.
type LayoutReport struct {
	// Tabs are the spreadsheet's tab titles, in order.
	Tabs []string
	// MissingTabs are the tabs kopi manages that the spreadsheet lacks.
	MissingTabs []string
	// MissingHeaders maps a tab to the headers of its columns not found
	// (by anchor or header text).
	MissingHeaders map[string][]string
	// Renamed lists columns found by their anchor whose header text is no
	// longer the one kopi wrote, by tab.
	Renamed map[string][]RenamedHeader
	// Unprotected maps a tab to the headers of daemon columns without a
	// protection; a hidden tab with no protection at all is listed with
	// the single entry "*".
	Unprotected map[string][]string
	// Unlocked lists the tabs only kopi may write (the Riwayat audit
	// trail) that are not protected as a whole.
	Unlocked []string
}

// OK reports whether nothing is missing.
func (r *LayoutReport) OK() bool {
	return len(r.MissingTabs) == 0 && len(r.MissingHeaders) == 0 && len(r.Renamed) == 0 && len(r.Unprotected) == 0 &&
		len(r.Unlocked) == 0
}

// RenamedHeader is a column whose header staff changed: kopi still finds
// it by its anchor, but people and reports read the header.
type RenamedHeader struct {
	Want string // the header kopi wrote
	Got  string // the header the tab shows
}

// CheckLayout inspects the tracker's tabs, headers and protections in two
// spreadsheets.get calls (titles and protections, then the header rows)
// without reading any case.
func (t *Tracker) CheckLayout(ctx context.Context) (*LayoutReport, error) {
	s := t.sheets
	meta, err := DoValue(ctx, s.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*sheets.Spreadsheet, error) {
		return s.svc.Spreadsheets.Get(s.id).Fields("sheets(properties(sheetId,title),protectedRanges(range))").Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("read spreadsheet: %w", err)
	}
	rep := &LayoutReport{MissingHeaders: map[string][]string{}, Renamed: map[string][]RenamedHeader{}, Unprotected: map[string][]string{}}
	byTitle := map[string]*sheets.Sheet{}
	for _, sh := range meta.Sheets {
		if sh.Properties != nil {
			rep.Tabs = append(rep.Tabs, sh.Properties.Title)
			byTitle[sh.Properties.Title] = sh
		}
	}
	var present []TabSchema
	var ranges []string
	for _, sc := range t.Schemas() {
		if byTitle[sc.Title] == nil {
			rep.MissingTabs = append(rep.MissingTabs, sc.Title)
			continue
		}
		present = append(present, sc)
		ranges = append(ranges, QuoteSheetName(sc.Title)+"!1:1")
	}
	if len(present) == 0 {
		return rep, nil
	}
	got, err := DoValue(ctx, s.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*sheets.Spreadsheet, error) {
		return s.svc.Spreadsheets.Get(s.id).Ranges(ranges...).IncludeGridData(true).
			Fields("sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),data(startRow,startColumn,rowData(values(" + cellFields + ")),columnMetadata(developerMetadata(metadataKey,metadataValue))))").
			Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("read headers: %w", err)
	}
	for _, sc := range present {
		var tb *Table
		var header []string
		for _, sh := range got.Sheets {
			if sh.Properties != nil && sh.Properties.Title == sc.Title {
				tb = tableFromGrid(sc, sh)
				for _, g := range sh.Data {
					if g.StartRow == 0 && g.StartColumn == 0 && len(g.RowData) > 0 {
						header = rowTexts(g.RowData[0])
					}
				}
			}
		}
		if tb == nil {
			rep.MissingTabs = append(rep.MissingTabs, sc.Title)
			continue
		}
		if len(tb.Missing) > 0 {
			rep.MissingHeaders[sc.Title] = tb.Missing
		}
		for _, c := range sc.Columns {
			col, ok := tb.Columns[c.Key]
			if !ok {
				continue
			}
			got := ""
			if col < len(header) {
				got = header[col]
			}
			if !strings.EqualFold(strings.TrimSpace(got), c.Header) {
				rep.Renamed[sc.Title] = append(rep.Renamed[sc.Title], RenamedHeader{Want: c.Header, Got: got})
			}
		}
		sh := byTitle[sc.Title]
		if sc.Locked {
			if !protectsWholeSheet(sh) {
				rep.Unlocked = append(rep.Unlocked, sc.Title)
			}
			continue
		}
		if sc.Hidden {
			if !protectsWholeSheet(sh) {
				rep.Unprotected[sc.Title] = []string{"*"}
			}
			continue
		}
		for _, c := range sc.Columns {
			col, ok := tb.Columns[c.Key]
			if !c.Daemon || !ok {
				continue
			}
			if !protectsColumn(sh, int64(col)) {
				rep.Unprotected[sc.Title] = append(rep.Unprotected[sc.Title], c.Header)
			}
		}
	}
	return rep, nil
}

// protectsColumn reports whether a protected range of sh covers column col
// (a range without column bounds covers every column).
func protectsColumn(sh *sheets.Sheet, col int64) bool {
	for _, p := range sh.ProtectedRanges {
		r := p.Range
		if r == nil {
			continue
		}
		if r.StartColumnIndex <= col && (r.EndColumnIndex == 0 || col < r.EndColumnIndex) {
			return true
		}
	}
	return false
}

// protectsWholeSheet reports whether sh has a protection without bounds.
func protectsWholeSheet(sh *sheets.Sheet) bool {
	for _, p := range sh.ProtectedRanges {
		if r := p.Range; r != nil && r.StartColumnIndex == 0 && r.EndColumnIndex == 0 && r.StartRowIndex == 0 && r.EndRowIndex == 0 {
			return true
		}
	}
	return false
}

// SenderAddress returns the address of the mailbox the credentials reach
// (users.getProfile, allowed by gmail.compose).
func (g *Gmail) SenderAddress(ctx context.Context) (string, error) {
	p, err := DoValue(ctx, g.retry, Idempotent("gmail.users.getProfile"), func(ctx context.Context) (*gmail.Profile, error) {
		return g.svc.Users.GetProfile(g.user).Fields("emailAddress").Context(ctx).Do()
	})
	if err != nil {
		return "", fmt.Errorf("read Gmail profile: %w", err)
	}
	return p.EmailAddress, nil
}

// DraftRoundTrip proves that kopi can write to the mailbox without
// sending anything: it creates a draft addressed to the sender itself and
// deletes it again.
func (g *Gmail) DraftRoundTrip(ctx context.Context, sender mail.Address) error {
	ref, err := g.CreateDraft(ctx, rules.Email{
		Key: "kopi-check", Kind: "uji-kopi-check",
		From: sender, To: []mail.Address{sender},
		Subject: "kopi check --live (draf uji, tidak dikirim)",
		Text:    "Draf ini dibuat dan langsung dihapus oleh `kopi check --live`.",
	})
	if err != nil {
		return err
	}
	return g.DeleteDraft(ctx, ref.ID)
}

// ResponsesReachable lists at most one response of a form
// (forms.responses.list with pageSize 1), proving read access to the
// responses. It returns how many it got (0 or 1).
func (f *Forms) ResponsesReachable(ctx context.Context, formID string) (int, error) {
	page, err := DoValue(ctx, f.retry, Idempotent("forms.forms.responses.list"), func(ctx context.Context) (*forms.ListFormResponsesResponse, error) {
		return f.svc.Forms.Responses.List(formID).PageSize(1).Fields("responses(responseId)").Context(ctx).Do()
	})
	if err != nil {
		return 0, fmt.Errorf("list responses: %w", err)
	}
	return len(page.Responses), nil
}

// RoleGaps is what `kopi check` finds in the Peran tab for the SOPs the
// tracker runs.
type RoleGaps struct {
	// Unfilled maps an SOP's id to its roles that no row of the tab gives
	// a person with an email address: kopi cannot email that role's
	// steps.
	Unfilled map[string][]string
	// BadEmails are rows whose email cannot be used.
	BadEmails []BadRoleEmail
}

// BadRoleEmail is a row of the Peran tab whose email does not parse.
type BadRoleEmail struct {
	Row   int // 1-based, as the sheet shows it
	Role  string
	Email string
}

// CheckSOPRoles reads the Peran tab (one spreadsheets.get) and reports
// the roles of the SOPs the tracker runs (RunSOPs) that have nobody to
// email. A missing tab reports nothing here: CheckLayout names it.
func (t *Tracker) CheckSOPRoles(ctx context.Context) (*RoleGaps, error) {
	gaps := &RoleGaps{Unfilled: map[string][]string{}}
	if len(t.sops) == 0 {
		return gaps, nil
	}
	tables, err := t.sheets.Read(ctx, RolesTab)
	var missing *ErrTabMissing
	if errors.As(err, &missing) {
		return gaps, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read tab %q: %w", RolesTab.Title, err)
	}
	filled := map[string]bool{}
	for _, r := range tables[RolesTab.Title].Rows {
		role, email := strings.TrimSpace(r.Get("role")), strings.TrimSpace(r.Get("email"))
		if role == "" || email == "" {
			continue
		}
		if _, err := mail.ParseAddress(email); err != nil {
			gaps.BadEmails = append(gaps.BadEmails, BadRoleEmail{Row: int(r.Index) + 1, Role: role, Email: email})
			continue
		}
		filled[strings.ToLower(role)] = true
	}
	for _, d := range t.sops {
		for _, role := range d.Roles {
			if !filled[strings.ToLower(role)] {
				gaps.Unfilled[d.ID] = append(gaps.Unfilled[d.ID], role)
			}
		}
	}
	return gaps, nil
}

// SOPs are the SOPs the tracker runs besides KOPI (RunSOPs).
func (t *Tracker) SOPs() []*rules.SOPDef { return t.sops }
