package main

import (
	"context"
	"errors"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestServiceConfigRunsTheDaemonWithTheAbsoluteConfig(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, tc := range []struct {
		config string
		want   string
	}{
		{"kopi.yaml", filepath.Join(dir, "kopi.yaml")},
		{filepath.Join("etc", "kopi.yaml"), filepath.Join(dir, "etc", "kopi.yaml")},
		{filepath.Join(dir, "x", "kopi kantor.yaml"), filepath.Join(dir, "x", "kopi kantor.yaml")},
	} {
		sc, err := serviceConfig("/opt/kopi/kopi", serviceOptions{action: "install", configPath: tc.config, user: "kopi"})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"run", "--config", tc.want}; !reflect.DeepEqual(sc.Arguments, want) {
			t.Errorf("%s: arguments %q, want %q", tc.config, sc.Arguments, want)
		}
		if sc.Executable != "/opt/kopi/kopi" || sc.WorkingDirectory != filepath.Dir(tc.want) || sc.UserName != "kopi" {
			t.Errorf("%s: executable %q, working dir %q, user %q", tc.config, sc.Executable, sc.WorkingDirectory, sc.UserName)
		}
		if sc.Name != "kopi" {
			t.Errorf("name %q", sc.Name)
		}
		// Indonesian for the people who read the services list.
		for _, word := range []string{"layanan", "Inspektorat"} {
			if !strings.Contains(sc.DisplayName, word) {
				t.Errorf("display name %q lacks %q", sc.DisplayName, word)
			}
		}
		if !strings.Contains(sc.Description, "spreadsheet pelacakan") {
			t.Errorf("description %q", sc.Description)
		}
		if sc.Option["Restart"] != "on-failure" || sc.Option["OnFailure"] != "restart" || sc.Option["StartType"] != "automatic" {
			t.Errorf("restart policy: %v", sc.Option)
		}
	}
}

func TestGeneratedUnitIsHardenedLikeTheShippedOne(t *testing.T) {
	shipped, err := os.ReadFile(filepath.Join("..", "..", "dist", "systemd", "kopi.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes",
		"ProtectKernelTunables=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "UMask=0077",
		"After=network-online.target",
	} {
		if !strings.Contains(systemdUnit, line+"\n") {
			t.Errorf("generated unit lacks %q", line)
		}
		if !strings.Contains(string(shipped), line+"\n") {
			t.Errorf("dist/systemd/kopi.service lacks %q", line)
		}
	}
	for _, line := range []string{"ReadWritePaths={{WorkingDirectory | cmdEscape}}", "ExecStart={{Path | cmdEscape}}{{range Arguments}} {{. | cmd}}{{end}}"} {
		if !strings.Contains(systemdUnit, line) {
			t.Errorf("generated unit lacks %q", line)
		}
	}
	for _, line := range []string{"ExecStart=/usr/local/bin/kopi run --config /etc/kopi/kopi.yaml", "ReadWritePaths=/etc/kopi", "User=kopi"} {
		if !strings.Contains(string(shipped), line+"\n") {
			t.Errorf("dist/systemd/kopi.service lacks %q", line)
		}
	}
}

func TestServiceCommandRefusesBeforeTouchingTheSystem(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		usage bool
		want  string
	}{
		{args: []string{"service"}, usage: true, want: "install|uninstall|start|stop|restart|status"},
		{args: []string{"service", "pasang"}, usage: true, want: "install|uninstall"},
		{args: []string{"service", "--config", "x.yaml"}, usage: true, want: "install|"},
		{args: []string{"service", "install", "--config", filepath.Join(t.TempDir(), "tidak-ada.yaml")}, want: "tidak-ada.yaml"},
		{args: []string{"service", "stop", "ekstra"}, usage: true, want: "ekstra"},
	} {
		r := kopi(t, tc.args...)
		if r.err == nil {
			t.Errorf("%q: no error", tc.args)
			continue
		}
		if errors.Is(r.err, errUsage) != tc.usage {
			t.Errorf("%q: usage error %v, want %v (%v)", tc.args, errors.Is(r.err, errUsage), tc.usage, r.err)
		}
		if !strings.Contains(r.err.Error()+r.stderr, tc.want) {
			t.Errorf("%q: %v\n%s\nwant %q", tc.args, r.err, r.stderr, tc.want)
		}
	}
	if r := kopi(t, "help"); !strings.Contains(r.stdout, "service") {
		t.Errorf("help does not list service:\n%s", r.stdout)
	}
}

// TestServiceStopIsAGracefulShutdown: the service manager's stop cancels
// the daemon's context, as SIGTERM does, and waits for it to finish.
func TestServiceStopIsAGracefulShutdown(t *testing.T) {
	stopping := make(chan struct{})
	release := make(chan struct{}) // the current cycle reaching its safe point
	exited := make(chan error, 1)
	p := &serviceProgram{
		run: func(ctx context.Context) error {
			<-ctx.Done()
			close(stopping)
			<-release
			return ctx.Err()
		},
		exit: func(err error) { exited <- err },
	}
	if err := p.Start(nil); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- p.Stop(nil) }()
	<-stopping // Stop cancelled the daemon's context
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned (%v) before the daemon finished", err)
	default:
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatalf("stop: %v", err)
	}
	select {
	case err := <-exited:
		t.Fatalf("a requested stop ended the process: %v", err)
	default:
	}
}

// TestServiceDaemonFailureEndsTheProcess: a daemon that stops by itself
// (a fatal error) ends the process, so the manager's restart applies;
// a later Stop does not hang.
func TestServiceDaemonFailureEndsTheProcess(t *testing.T) {
	boom := errors.New("token dicabut")
	exited := make(chan error, 1)
	p := &serviceProgram{
		run:  func(context.Context) error { return boom },
		exit: func(err error) { exited <- err },
	}
	if err := p.Start(nil); err != nil {
		t.Fatal(err)
	}
	if err := <-exited; !errors.Is(err, boom) {
		t.Fatalf("exit with %v", err)
	}
	if err := p.Stop(nil); !errors.Is(err, boom) {
		t.Fatalf("stop after failure: %v", err)
	}
}

func TestRunAsServiceOutsideAServiceManagerJustRuns(t *testing.T) {
	ran := false
	err := runAsService(context.Background(), func(context.Context) error { ran = true; return nil }, os.Stderr)
	if err != nil || !ran {
		t.Fatalf("ran %v, err %v", ran, err)
	}
	if r := kopi(t, "version"); r.err != nil {
		t.Fatalf("version: %v", r.err)
	}
}

func TestServiceLogIsBesideTheConfig(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"--config", filepath.Join(dir, "kopi.yaml")}, {"--config=" + filepath.Join(dir, "kopi.yaml")}} {
		f, err := openServiceLog(args)
		if err != nil {
			t.Fatal(err)
		}
		name := f.Name()
		f.Close()
		if name != filepath.Join(dir, "kopi.log") {
			t.Errorf("%q: log at %s", args, name)
		}
	}
}

// TestTimeZoneDatabaseIsEmbedded: WIB must be computable on a machine
// without a zoneinfo database (Windows). main imports time/tzdata; a
// child process with ZONEINFO pointing to an empty directory loads
// Asia/Jakarta. (Where the system has /usr/share/zoneinfo, Go falls back
// to it after ZONEINFO, so there the import check is what proves it; on
// Windows and in scratch containers the child does.)
func TestTimeZoneDatabaseIsEmbedded(t *testing.T) {
	t.Parallel()
	if os.Getenv("KOPI_TZ_CHILD") == "1" {
		loc, err := time.LoadLocation("Asia/Jakarta")
		if err != nil {
			t.Fatalf("load Asia/Jakarta: %v", err)
		}
		if _, off := time.Date(2026, 3, 2, 8, 0, 0, 0, loc).Zone(); off != 7*3600 {
			t.Fatalf("Asia/Jakarta offset %d", off)
		}
		return
	}
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	embedded := false
	for _, im := range f.Imports {
		embedded = embedded || im.Path.Value == `"time/tzdata"`
	}
	if !embedded {
		t.Error("main.go does not import time/tzdata")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestTimeZoneDatabaseIsEmbedded$")
	cmd.Env = append(os.Environ(), "KOPI_TZ_CHILD=1", "ZONEINFO="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child without zoneinfo: %v\n%s", err, out)
	}
}
