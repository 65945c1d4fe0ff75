package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"google.golang.org/api/forms/v1"
	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/google/fake"
)

// march3 is a Tuesday in a year the built-in holiday table covers.
func march3() time.Time { return time.Date(2026, time.March, 3, 9, 0, 0, 0, time.UTC) }

// readyOffice is a fake Workspace after `kopi init --create-intake-form`.
func readyOffice(t *testing.T) *office {
	t.Helper()
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
		t.Fatalf("init: %v\n%s", r.err, r.stderr)
	}
	return o
}

// services returns official clients on the office's fake, for a test to
// break things as staff would.
func (o *office) services(t *testing.T) *google.Services {
	t.Helper()
	svc, err := google.NewServices(context.Background(), google.Options{Endpoint: o.srv.URL(), HTTPClient: o.srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// sheetID returns the grid id of a tab of the tracker.
func (o *office) sheetID(t *testing.T, title string) int64 {
	t.Helper()
	ss, err := o.services(t).Sheets.Spreadsheets.Get(o.value(t, keySpreadsheetID)).Do()
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == title {
			return sh.Properties.SheetId
		}
	}
	t.Fatalf("no tab %q", title)
	return 0
}

func (o *office) batch(t *testing.T, reqs ...*sheets.Request) {
	t.Helper()
	_, err := o.services(t).Sheets.Spreadsheets.BatchUpdate(o.value(t, keySpreadsheetID), &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Do()
	if err != nil {
		t.Fatal(err)
	}
}

// runChecks runs `kopi check` in-process with injected options.
func runChecks(t *testing.T, o checkOptions) result {
	t.Helper()
	if o.now == nil {
		o.now = march3
	}
	var out, errb bytes.Buffer
	err := check(context.Background(), &environment{stdout: &out, stderr: &errb}, o)
	return result{stdout: out.String(), stderr: errb.String(), err: err}
}

// lineFormat is what every line of `kopi check` looks like.
var lineFormat = regexp.MustCompile(`^(OK: .+|PERINGATAN: .+|MASALAH: .+ — cara memperbaiki: .+|Semua pemeriksaan lulus\.)$`)

func assertLines(t *testing.T, out string) {
	t.Helper()
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !lineFormat.MatchString(l) {
			t.Errorf("line not in the OK / MASALAH … — cara memperbaiki: … form: %q", l)
		}
	}
}

func TestCheckAllGoodOnTheFake(t *testing.T) {
	o := readyOffice(t)
	r := runChecks(t, checkOptions{configPath: o.config})
	if r.err != nil {
		t.Fatalf("check failed: %v\n%s", r.err, r.stdout)
	}
	assertLines(t, r.stdout)
	for _, want := range []string{
		"OK: konfigurasi ",
		"OK: zona waktu Asia/Jakarta dapat dimuat",
		"waktu kantor sekarang 2026-03-03 16:00 WIB",
		"OK: tabel hari libur memuat tahun 2026",
		"OK: google.endpoint menunjuk Workspace tiruan",
		"OK: jam komputer sesuai jam Google",
		"OK: formulir asupan dapat dibaca",
		"OK: semua 7 pertanyaan yang dipetakan",
		"OK: spreadsheet pelacakan: 7 tab kopi ada",
		"OK: Gmail dapat dipakai: token milik kotak surat pengirim kopi@inspektorat.example.go.id",
		"Semua pemeriksaan lulus.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "MASALAH") {
		t.Errorf("a problem on a good setup:\n%s", r.stdout)
	}
}

func TestCheckFindsEachFault(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		break_ func(t *testing.T, o *office)
		want   []string
		count  int
	}{
		{
			name: "missing tab",
			break_: func(t *testing.T, o *office) {
				o.batch(t, &sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: o.sheetID(t, "Konsuler")}})
			},
			want:  []string{`MASALAH: tab "Konsuler" tidak ada di spreadsheet pelacakan (tab yang ada: "Konsultasi", "Laporan", "Survei", "_kopi", `, "cara memperbaiki: jalankan `kopi init`"},
			count: 1,
		},
		{
			name: "renamed header",
			break_: func(t *testing.T, o *office) {
				if err := o.srv.SetValues(o.value(t, keySpreadsheetID), "'Konsultasi'!C1", [][]any{{"Nama Lengkap Pemohon"}}, false); err != nil {
					t.Fatal(err)
				}
			},
			want:  []string{`MASALAH: judul kolom "Nama" di tab "Konsultasi" diubah menjadi "Nama Lengkap Pemohon"`, `cara memperbaiki: kembalikan judulnya menjadi "Nama"`},
			count: 1,
		},
		{
			name: "deleted column",
			break_: func(t *testing.T, o *office) {
				o.batch(t, &sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{
					SheetId: o.sheetID(t, "Konsultasi"), Dimension: "COLUMNS", StartIndex: 3, EndIndex: 4,
				}}})
			},
			want:  []string{`MASALAH: kolom "Instansi" tidak ditemukan di tab "Konsultasi" — cara memperbaiki: kembalikan kolom atau judulnya persis "Instansi"`},
			count: 1,
		},
		{
			name: "missing protection",
			break_: func(t *testing.T, o *office) {
				ss, err := o.services(t).Sheets.Spreadsheets.Get(o.value(t, keySpreadsheetID)).Fields("sheets(properties(title),protectedRanges(protectedRangeId,description))").Do()
				if err != nil {
					t.Fatal(err)
				}
				for _, sh := range ss.Sheets {
					for _, p := range sh.ProtectedRanges {
						if p.Description == "Kolom Tenggat diisi oleh kopi" {
							o.batch(t, &sheets.Request{DeleteProtectedRange: &sheets.DeleteProtectedRangeRequest{ProtectedRangeId: p.ProtectedRangeId}})
							return
						}
					}
				}
				t.Fatal("no protection on the deadline column")
			},
			want:  []string{`MASALAH: kolom milik kopi di tab "Konsultasi" tidak dilindungi: "Tenggat"`, "Lindungi sheet dan rentang"},
			count: 1,
		},
		{
			name: "missing question",
			break_: func(t *testing.T, o *office) {
				formID := o.value(t, keyFormID)
				f, _ := o.srv.Form(formID)
				for i, it := range f.Items {
					if it.Title == "Nama Lengkap" {
						_, err := o.services(t).Forms.Forms.BatchUpdate(formID, &forms.BatchUpdateFormRequest{Requests: []*forms.Request{{
							UpdateItem: &forms.UpdateItemRequest{
								Item:       &forms.Item{ItemId: it.ItemId, Title: "Nama Pemohon"},
								Location:   &forms.Location{Index: int64(i), ForceSendFields: []string{"Index"}},
								UpdateMask: "title",
							},
						}}}).Do()
						if err != nil {
							t.Fatal(err)
						}
						return
					}
				}
				t.Fatal("no question Nama Lengkap")
			},
			want: []string{
				`MASALAH: pertanyaan intake.questions.nama "Nama Lengkap" tidak ada di formulir`,
				`cara memperbaiki: samakan dengan judul pertanyaan di formulir; judul yang ada: "Nama Pemohon", `,
			},
			count: 1,
		},
		{
			name: "unreadable spreadsheet",
			break_: func(t *testing.T, o *office) {
				if err := o.srv.AddFault(fake.Fault{Method: "sheets.spreadsheets.get", Status: 403, Times: -1, Message: "The caller does not have permission"}); err != nil {
					t.Fatal(err)
				}
			},
			want:  []string{"MASALAH: spreadsheet pelacakan (tracker.spreadsheet_id ", "tidak punya izin menyunting spreadsheet ini", "sebagai editor (Bagikan"},
			count: 1,
		},
		{
			name: "form not found",
			break_: func(t *testing.T, o *office) {
				if err := o.srv.AddFault(fake.Fault{Method: "forms.forms.get", Status: 404, Times: -1, Message: "Requested entity was not found."}); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"MASALAH: formulir asupan (intake.form_id ", "Google tidak menemukan formulir dengan ID ini",
				"cara memperbaiki: salin ID dari alamat edit formulir"},
			count: 1,
		},
		{
			name: "scope missing on Gmail",
			break_: func(t *testing.T, o *office) {
				if err := o.srv.AddFault(fake.Fault{Method: "gmail.users.getProfile", Status: 403, Times: -1,
					Reason: "insufficientPermissions", Message: "Request had insufficient authentication scopes."}); err != nil {
					t.Fatal(err)
				}
			},
			want:  []string{"MASALAH: profil Gmail pengirim tidak dapat dibaca: token kopi tidak memuat izin", "jalankan `kopi auth` lagi dan centang semua kotak izin"},
			count: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := readyOffice(t)
			tc.break_(t, o)
			r := runChecks(t, checkOptions{configPath: o.config})
			if r.err == nil {
				t.Fatalf("check passed on a broken setup:\n%s", r.stdout)
			}
			if want := "pemeriksaan menemukan"; !strings.Contains(r.err.Error(), want) {
				t.Errorf("err = %v", r.err)
			}
			assertLines(t, r.stdout)
			for _, want := range tc.want {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, r.stdout)
				}
			}
			if n := strings.Count(r.stdout, "MASALAH: "); n != tc.count {
				t.Errorf("%d problems, want %d:\n%s", n, tc.count, r.stdout)
			}
		})
	}
}

func TestCheckExitCode(t *testing.T) {
	o := readyOffice(t)
	if err := o.srv.SetValues(o.value(t, keySpreadsheetID), "'Konsultasi'!C1", [][]any{{"Nama Lengkap Pemohon"}}, false); err != nil {
		t.Fatal(err)
	}
	r := kopi(t, "check", "--config", o.config)
	if r.err == nil || errorsIsUsage(r.err) {
		t.Fatalf("err = %v, want a plain failure (exit code 1)", r.err)
	}
}

func errorsIsUsage(err error) bool {
	return err != nil && strings.Contains(err.Error(), "penggunaan salah")
}

func TestCheckHolidayYears(t *testing.T) {
	o := readyOffice(t)
	r := runChecks(t, checkOptions{configPath: o.config, now: func() time.Time { return time.Date(2027, time.January, 5, 2, 0, 0, 0, time.UTC) }})
	if r.err == nil || !strings.Contains(r.stdout, "MASALAH: tabel hari libur tidak memuat tahun 2027") {
		t.Errorf("2027 without a table: err = %v\n%s", r.err, r.stdout)
	}
	r = runChecks(t, checkOptions{configPath: o.config, now: func() time.Time { return time.Date(2026, time.October, 5, 2, 0, 0, 0, time.UTC) }})
	if r.err != nil || !strings.Contains(r.stdout, "PERINGATAN: tabel hari libur belum memuat tahun 2027") {
		t.Errorf("October without next year: err = %v\n%s", r.err, r.stdout)
	}
}

func TestCheckBadConfig(t *testing.T) {
	r := runChecks(t, checkOptions{configPath: filepath.Join("testdata", "bad.yaml")})
	if r.err == nil || !strings.Contains(r.stdout, "MASALAH: berkas konfigurasi testdata/bad.yaml") || !strings.Contains(r.stdout, `kunci "warna" tidak dikenal`) {
		t.Errorf("err = %v\n%s", r.err, r.stdout)
	}
}

func TestCheckLiveRoundTripSendsNothing(t *testing.T) {
	o := readyOffice(t)
	r := runChecks(t, checkOptions{configPath: o.config, live: true})
	if r.err != nil {
		t.Fatalf("check --live: %v\n%s", r.err, r.stdout)
	}
	for _, want := range []string{
		"OK: uji langsung Gmail: draf ke kopi@inspektorat.example.go.id dibuat lalu dihapus",
		"OK: uji langsung spreadsheet: 0 kasus dan 4 konsuler terbaca",
		"OK: uji langsung formulir: daftar tanggapan dapat dibaca (0 tanggapan contoh)",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if sent := o.srv.Sent("me"); len(sent) != 0 {
		t.Errorf("check --live sent %d emails", len(sent))
	}
	calls := o.srv.Calls()
	if calls["gmail.users.drafts.create"] != 1 || calls["gmail.users.drafts.delete"] != 1 {
		t.Errorf("draft calls = %v", calls)
	}
}

// realOffice is a ready fake Workspace whose config asks for real-Google
// authentication: an installed client on a fake OAuth server and a token
// file. check reaches the Workspace through checkOptions.endpoint.
type realOffice struct {
	*office
	oauth *fake.OAuth
	dir   string
	token string
}

func newRealOffice(t *testing.T, scopes []string, life time.Duration) *realOffice {
	t.Helper()
	o := readyOffice(t)
	text := o.read(t)
	text = regexp.MustCompile(`(?m)^  endpoint: .*$`).ReplaceAllString(text, "  credentials_file: credentials.json\n  token_file: token.json")
	if err := os.WriteFile(o.config, []byte(text), 0o640); err != nil {
		t.Fatal(err)
	}
	oa := fake.NewOAuth("kopi-uji.apps.googleusercontent.com", "GOCSPX-uji")
	t.Cleanup(oa.Close)
	dir := filepath.Dir(o.config)
	if err := os.WriteFile(filepath.Join(dir, "credentials.json"), oa.InstalledJSON(), 0o600); err != nil {
		t.Fatal(err)
	}
	at, rt := oa.Issue(scopes, time.Hour)
	tok := &oauth2.Token{AccessToken: at, RefreshToken: rt, TokenType: "Bearer", Expiry: time.Now().Add(life)}
	path := filepath.Join(dir, "token.json")
	if err := google.SaveToken(path, tok); err != nil {
		t.Fatal(err)
	}
	return &realOffice{office: o, oauth: oa, dir: dir, token: path}
}

func (ro *realOffice) check(t *testing.T) result {
	t.Helper()
	return runChecks(t, checkOptions{configPath: ro.config, endpoint: ro.srv.URL(), tokenInfoURL: ro.oauth.TokenInfoURL()})
}

func TestCheckTokenWithEveryScope(t *testing.T) {
	ro := newRealOffice(t, google.Scopes(), time.Hour)
	r := ro.check(t)
	if r.err != nil {
		t.Fatalf("check: %v\n%s", r.err, r.stdout)
	}
	assertLines(t, r.stdout)
	for _, want := range []string{
		`OK: berkas kredensial ` + filepath.Join(ro.dir, "credentials.json") + `: klien OAuth "Desktop app"`,
		"OK: token OAuth " + ro.token + " pribadi (0600) dan berlaku sampai",
		fmt.Sprintf("OK: izin token lengkap (%d cakupan)", len(google.Scopes())),
		"OK: Gmail dapat dipakai",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestCheckTokenFaults(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scopes []string
		life   time.Duration
		prep   func(t *testing.T, ro *realOffice)
		want   []string
	}{
		{
			name:   "insufficient scope",
			scopes: []string{google.ScopeSpreadsheets, google.ScopeFormsBody, google.ScopeFormsResponsesReadonly},
			life:   time.Hour,
			want: []string{
				`MASALAH: token tidak memberi izin: "https://www.googleapis.com/auth/gmail.compose"`,
				"cara memperbaiki: jalankan `kopi auth` lagi dan centang semua kotak izin",
			},
		},
		{
			name:   "revoked refresh token",
			scopes: google.Scopes(),
			life:   -time.Minute,
			prep:   func(t *testing.T, ro *realOffice) { ro.oauth.Revoke() },
			want: []string{
				"MASALAH: izin kopi ke akun Google tidak berlaku lagi (invalid_grant",
				"cara memperbaiki: jalankan `kopi auth`",
				"PERINGATAN: pemeriksaan formulir, spreadsheet dan Gmail dilewati",
			},
		},
		{
			name:   "access token revoked before it expired",
			scopes: google.Scopes(),
			life:   time.Hour,
			prep:   func(t *testing.T, ro *realOffice) { ro.oauth.Revoke() },
			want: []string{
				"MASALAH: Google tidak mengenali token akses (izin dicabut atau token kedaluwarsa) — cara memperbaiki: jalankan `kopi auth`",
				"PERINGATAN: pemeriksaan formulir, spreadsheet dan Gmail dilewati",
			},
		},
		{
			name:   "no token yet",
			scopes: google.Scopes(),
			life:   time.Hour,
			prep: func(t *testing.T, ro *realOffice) {
				if err := os.Remove(ro.token); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"token.json tidak ada", "cara memperbaiki: jalankan `kopi auth`"},
		},
		{
			name:   "token readable by others",
			scopes: google.Scopes(),
			life:   time.Hour,
			prep: func(t *testing.T, ro *realOffice) {
				if runtime.GOOS == "windows" {
					t.Skip("no Unix permission bits")
				}
				if err := os.Chmod(ro.token, 0o644); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"dapat dibaca pengguna lain (mode 0644)", "cara memperbaiki: batasi aksesnya: chmod 600 "},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ro := newRealOffice(t, tc.scopes, tc.life)
			if tc.prep != nil {
				tc.prep(t, ro)
			}
			r := ro.check(t)
			if r.err == nil {
				t.Fatalf("check passed:\n%s", r.stdout)
			}
			assertLines(t, r.stdout)
			for _, want := range tc.want {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, r.stdout)
				}
			}
		})
	}
}

func TestCheckPersistsARefreshedToken(t *testing.T) {
	ro := newRealOffice(t, google.Scopes(), -time.Minute)
	before, err := google.LoadToken(ro.token)
	if err != nil {
		t.Fatal(err)
	}
	r := ro.check(t)
	if r.err != nil || !strings.Contains(r.stdout, "token akses diperbarui dan disimpan") {
		t.Fatalf("err = %v\n%s", r.err, r.stdout)
	}
	after, err := google.LoadToken(ro.token)
	if err != nil {
		t.Fatal(err)
	}
	if after.AccessToken == before.AccessToken || after.RefreshToken != before.RefreshToken {
		t.Errorf("token file not updated: before %q after %q", before.AccessToken, after.AccessToken)
	}
}

// TestCheckSaysGoogleUnreachable: with the Workspace down, check reports
// one problem — Google cannot be reached — with its fix, and does not
// guess at sharing or re-authorising.
func TestCheckSaysGoogleUnreachable(t *testing.T) {
	o := readyOffice(t)
	if err := o.srv.Close(); err != nil {
		t.Fatal(err)
	}
	r := runChecks(t, checkOptions{configPath: o.config})
	if r.err == nil {
		t.Fatalf("check passed with the Workspace down:\n%s", r.stdout)
	}
	assertLines(t, r.stdout)
	if n := strings.Count(r.stdout, "MASALAH: "); n != 1 {
		t.Errorf("%d problems, want 1:\n%s", n, r.stdout)
	}
	for _, want := range []string{"MASALAH: hubungi Google: Workspace tiruan di", "tidak menjawab", "kopi fake-workspace --addr"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, wrong := range []string{"bagikan", "kopi auth"} {
		if strings.Contains(r.stdout, wrong) {
			t.Errorf("output guesses %q:\n%s", wrong, r.stdout)
		}
	}
}
