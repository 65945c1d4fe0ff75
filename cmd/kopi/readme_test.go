//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"kopi/rules"
)

// needTools returns without a word when every tool is installed, skips
// the test outside CI when one is missing, and fails it in CI.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not installed, and CI=true", tool)
			}
			t.Skipf("%s not installed; the README walkthrough is skipped outside CI", tool)
		}
	}
}

// readmeWalkthrough returns the shell block of README.md between the
// walkthrough markers.
func readmeWalkthrough(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "<!-- walkthrough:begin -->")
	block, _, ok2 := strings.Cut(rest, "<!-- walkthrough:end -->")
	if !ok || !ok2 {
		t.Fatal("README.md has no walkthrough markers")
	}
	block = strings.TrimSpace(block)
	block = strings.TrimPrefix(block, "```sh")
	block = strings.TrimSuffix(block, "```")
	block = strings.TrimSpace(block) + "\n"
	return block
}

// freePorts returns n distinct free loopback addresses. The listeners
// are held until all n are chosen: closed one by one, the kernel may hand
// the same port out twice (seen: the fake and kopi's health listener both
// given 127.0.0.1:37417).
func freePorts(t *testing.T, n int) []string {
	t.Helper()
	addrs := make([]string, n)
	for i := range addrs {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		addrs[i] = ln.Addr().String()
	}
	return addrs
}

// TestReadmeWalkthrough runs the README's "try kopi against the fake"
// block as written, in a fresh directory, on free ports: build, fake
// Workspace, config, init, a response, one cycle, the sent mail, kopi
// check, the daemon's /healthz, and a clean stop.
func TestReadmeWalkthrough(t *testing.T) {
	t.Parallel()
	needTools(t, "bash", "curl", "jq", "sed", "grep")
	script := readmeWalkthrough(t)
	const build = "go build -o kopi ./cmd/kopi"
	if !strings.HasPrefix(script, build+"\n") {
		t.Fatalf("the walkthrough does not start with %q", build)
	}
	pkg, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// The module is not in dir: build from the package's directory.
	script = strings.Replace(script, build, "(cd '"+pkg+"' && go build -o '"+filepath.Join(dir, "kopi")+"' .)", 1)
	ports := freePorts(t, 2)
	script = strings.ReplaceAll(script, "127.0.0.1:8085", ports[0])
	script = strings.ReplaceAll(script, "127.0.0.1:8080", ports[1])
	// The walkthrough runs on the machine's clock: the ticket carries this
	// year, and in a year the built-in holiday table does not cover, kopi
	// check rightly reports the missing table. The test then does what the
	// README tells an operator to (a year's table written by `kopi holidays
	// template` and listed under holidays.files), so the suite does not
	// start failing on 1 January.
	year := time.Now().In(wib).Year()
	if !builtinHolidayYear(year) {
		script = addHolidayTable(t, script, year)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", "-c", script)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	// Whatever happened, nothing the walkthrough started may survive it.
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	if err != nil {
		logs, _ := os.ReadFile(filepath.Join(dir, "kopi.log"))
		t.Fatalf("walkthrough failed: %v\n%s\nkopi.log:\n%s", err, out.String(), logs)
	}
	for _, want := range []string{
		"Formulir asupan dibuat",
		"  Nama Lengkap", // question ids and titles
		"1 tanggapan dibaca, 1 kasus baru",
		fmt.Sprintf("Subject: [KOPI-%d-0001] Tanda terima konsultasi: Audit", year),
		"Semua pemeriksaan lulus.",
		`"sehat":true`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("walkthrough output lacks %q:\n%s", want, out.String())
		}
	}
}

// builtinHolidayYear reports whether kopi's built-in holiday table
// covers year.
func builtinHolidayYear(year int) bool {
	for _, h := range rules.BuiltinHolidays() {
		if h.Date.Year == year {
			return true
		}
	}
	return false
}

// addHolidayTable makes the walkthrough write year's holiday template
// before init and list it in the config.
func addHolidayTable(t *testing.T, script string, year int) string {
	t.Helper()
	const init = "./kopi init --config kopi.yaml"
	const endConfig = "  listen: 127.0.0.1:"
	file := fmt.Sprintf("libur-%d.csv", year)
	i := strings.Index(script, init)
	j := strings.Index(script, endConfig)
	if i < 0 || j < 0 {
		t.Fatalf("the walkthrough lacks %q or %q", init, endConfig)
	}
	eol := j + strings.IndexByte(script[j:], '\n') + 1
	script = script[:eol] + "holidays:\n  files: [" + file + "]\n" + script[eol:]
	i = strings.Index(script, init)
	return script[:i] + fmt.Sprintf("./kopi holidays template %d --out %s\n", year, file) + script[i:]
}
