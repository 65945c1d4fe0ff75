package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestBadConfigPrintsEveryProblem(t *testing.T) {
	for _, cmd := range []string{"once", "init"} {
		t.Run(cmd, func(t *testing.T) {
			r := kopi(t, cmd, "--config", filepath.Join("testdata", "bad.yaml"))
			if r.err == nil {
				t.Fatal("a bad config was accepted")
			}
			msg := r.err.Error()
			for _, want := range []string{
				"konfigurasi tidak sah (3 masalah)",
				"timezone: zona waktu \"Asia/Jakart\" tidak dikenal",
				"baris 7: kunci \"warna\" tidak dikenal",
				"mail.sender.address: alamat email \"kopi@inspektorat\" tidak sah",
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("error lacks %q:\n%s", want, msg)
				}
			}
		})
	}
}

func TestMissingConfigFileSaysWhichFile(t *testing.T) {
	r := kopi(t, "once", "--config", filepath.Join(t.TempDir(), "tidak-ada.yaml"))
	if r.err == nil {
		t.Fatal("once without a config file succeeded")
	}
	for _, want := range []string{"berkas konfigurasi", "tidak-ada.yaml tidak ada", "cara memperbaiki: salin contohnya: cp kopi.example.yaml"} {
		if !strings.Contains(r.err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, r.err)
		}
	}
}

// realGoogle copies the real-Google config into a fresh directory and
// returns its path; token and credentials files go next to it.
func realGoogle(t *testing.T) (dir, config string) {
	t.Helper()
	dir = t.TempDir()
	b, err := os.ReadFile(filepath.Join("testdata", "real-google.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	config = filepath.Join(dir, "kopi.yaml")
	if err := os.WriteFile(config, b, 0o644); err != nil {
		t.Fatal(err)
	}
	creds, err := os.ReadFile(filepath.Join("..", "..", "credentials.example.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "credentials.json"), creds, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, config
}

const testToken = `{"access_token":"ya29.uji","token_type":"Bearer","refresh_token":"1//uji","expiry":"2026-03-02T08:00:00Z"}`

func TestRealGoogleWithoutTokenPointsToAuth(t *testing.T) {
	_, config := realGoogle(t)
	r := kopi(t, "once", "--config", config)
	if r.err == nil {
		t.Fatal("once without a token succeeded")
	}
	for _, want := range []string{"token.json tidak ada", "cara memperbaiki: jalankan `kopi auth` sekali"} {
		if !strings.Contains(r.err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, r.err)
		}
	}
}

func TestTokenReadableByOthersIsRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix permission bits")
	}
	dir, config := realGoogle(t)
	tok := filepath.Join(dir, "token.json")
	if err := os.WriteFile(tok, []byte(testToken), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tok, 0o644); err != nil {
		t.Fatal(err)
	}
	r := kopi(t, "once", "--config", config)
	if r.err == nil {
		t.Fatal("a token file with mode 0644 was accepted")
	}
	for _, want := range []string{"dapat dibaca pengguna lain (mode 0644)", "chmod 600 " + tok} {
		if !strings.Contains(r.err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, r.err)
		}
	}
}

func TestPrivateTokenIsLoaded(t *testing.T) {
	dir, config := realGoogle(t)
	if err := os.WriteFile(filepath.Join(dir, "token.json"), []byte(testToken), 0o600); err != nil {
		t.Fatal(err)
	}
	oc, err := loadConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	o, err := oc.googleOptions(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.Endpoint != "" || o.TokenSource == nil {
		t.Fatalf("options = %+v, want real Google with a token source", o)
	}
	tok, err := o.TokenSource.Token()
	if err != nil {
		// The test token is expired; refreshing would need the network.
		t.Logf("token source: %v", err)
	} else if tok.AccessToken != "ya29.uji" {
		t.Errorf("access token = %q", tok.AccessToken)
	}
}

func TestBadCredentialsFileIsNamed(t *testing.T) {
	dir, config := realGoogle(t)
	if err := os.WriteFile(filepath.Join(dir, "token.json"), []byte(testToken), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "credentials.json"), []byte(`{"web": 1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := kopi(t, "once", "--config", config)
	if r.err == nil || !strings.Contains(r.err.Error(), "credentials.json") || !strings.Contains(r.err.Error(), "Desktop app") {
		t.Fatalf("err = %v", r.err)
	}
}

func TestHolidayFilesAreReadRelativeToTheConfig(t *testing.T) {
	dir, config := realGoogle(t)
	b, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, []byte("holidays:\n  files: [libur-kantor.csv]\n")...)
	if err := os.WriteFile(config, b, 0o644); err != nil {
		t.Fatal(err)
	}
	csv := "tanggal,hari,jenis,keterangan\n2027-01-01,jumat,libur,Tahun Baru 2027 Masehi\n"
	if err := os.WriteFile(filepath.Join(dir, "libur-kantor.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	oc, err := loadConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	if !oc.cal.HasYear(2027) {
		t.Error("the 2027 table named in holidays.files was not loaded")
	}

	if err := os.WriteFile(filepath.Join(dir, "libur-kantor.csv"), []byte(strings.Replace(csv, "jumat", "senin", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadConfig(config); err == nil || !strings.Contains(err.Error(), "libur-kantor.csv") {
		t.Errorf("a bad holiday file: err = %v", err)
	}
}
