package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	stdsync "sync"

	"github.com/kardianos/service"
)

// The service as the operating system's service manager knows it.
const (
	serviceName        = "kopi"
	serviceDisplayName = "KOPI Terintegrasi — layanan konsultasi Inspektorat"
	serviceDescription = "Daemon kopi: membaca Google Form konsultasi, memperbarui spreadsheet pelacakan dan mengirim email lewat Gmail."
)

// systemdUnit is the unit `kopi service install` writes on Linux, in
// kardianos/service's template language: the hardening of
// dist/systemd/kopi.service, with the config's directory as the only
// writable path (the OAuth token is refreshed there).
const systemdUnit = `[Unit]
Description={{Description}}
ConditionFileIsExecutable={{Path | cmdEscape}}
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart={{Path | cmdEscape}}{{range Arguments}} {{. | cmd}}{{end}}
{{if WorkingDirectory}}WorkingDirectory={{WorkingDirectory | cmdEscape}}
ReadWritePaths={{WorkingDirectory | cmdEscape}}
{{end}}{{if UserName}}User={{UserName}}
{{end}}Restart=on-failure
RestartSec=30
TimeoutStopSec=120
UMask=0077
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictSUIDSGID=yes
RestrictNamespaces=yes
LockPersonality=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
SystemCallArchitectures=native

[Install]
WantedBy=multi-user.target
`

// serviceOptions are the flags of `kopi service <action>`.
type serviceOptions struct {
	action     string
	configPath string
	user       string // Linux: the account the unit runs as
}

// serviceActions lists what `kopi service` does, in help order.
var serviceActions = []string{"install", "uninstall", "start", "stop", "restart", "status"}

// serviceConfig is what `kopi service install` registers: this
// executable running `kopi run --config <absolute path>`, restarted on
// failure.
func serviceConfig(exe string, o serviceOptions) (*service.Config, error) {
	abs, err := filepath.Abs(o.configPath)
	if err != nil {
		return nil, fmt.Errorf(msgServiceConfigPath, o.configPath, err)
	}
	return &service.Config{
		Name:             serviceName,
		DisplayName:      serviceDisplayName,
		Description:      serviceDescription,
		Executable:       exe,
		Arguments:        []string{"run", "--config", abs},
		WorkingDirectory: filepath.Dir(abs),
		UserName:         o.user,
		Option: service.KeyValue{
			// Linux (systemd).
			"SystemdScript": systemdUnit,
			"Restart":       "on-failure",
			// Windows.
			"StartType":        "automatic",
			"DelayedAutoStart": true, // after the network is up
			"OnFailure":        "restart",
		},
	}, nil
}

// runService is `kopi service install|uninstall|start|stop|restart|status`.
func runService(ctx context.Context, env *environment, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		printServiceHelp(env.stdout)
		return nil
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(env.stderr, msgServiceUsage+"\n", strings.Join(serviceActions, "|"))
		return fmt.Errorf("%w: sebutkan tindakan layanan", errUsage)
	}
	o := serviceOptions{action: args[0]}
	known := false
	for _, a := range serviceActions {
		known = known || a == o.action
	}
	if !known {
		fmt.Fprintf(env.stderr, msgServiceUsage+"\n", strings.Join(serviceActions, "|"))
		return fmt.Errorf("%w: tindakan layanan %q tidak dikenal", errUsage, o.action)
	}
	fs := newFlagSet(env, "service "+o.action, "[--config kopi.yaml]")
	fs.StringVar(&o.configPath, "config", defaultConfigPath, msgServiceConfigFlag)
	if o.action == "install" {
		fs.StringVar(&o.user, "user", "", msgServiceUserFlag)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	if o.action == "install" {
		// A service that cannot start is worse than no service: the
		// configuration must load before it is registered.
		if _, err := loadConfig(o.configPath); err != nil {
			return err
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf(msgServiceExe, err)
	}
	sc, err := serviceConfig(exe, o)
	if err != nil {
		return err
	}
	s, err := service.New(&serviceProgram{}, sc)
	if err != nil {
		return fmt.Errorf(msgServiceSystem, err)
	}
	if o.action == "status" {
		st, err := s.Status()
		switch {
		case errors.Is(err, service.ErrNotInstalled):
			fmt.Fprintln(env.stdout, msgServiceNotInstalled)
			return nil
		case err != nil:
			return fmt.Errorf(msgServiceAction, o.action, err)
		}
		fmt.Fprintln(env.stdout, serviceStatusText(st))
		return nil
	}
	if err := service.Control(s, o.action); err != nil {
		return fmt.Errorf(msgServiceAction, o.action, err)
	}
	switch o.action {
	case "install":
		fmt.Fprintf(env.stdout, msgServiceInstalled+"\n", sc.Executable, strings.Join(sc.Arguments, " "))
	default:
		fmt.Fprintf(env.stdout, msgServiceDone+"\n", o.action)
	}
	return nil
}

// serviceStatusText says in Indonesian what the service manager reports.
func serviceStatusText(st service.Status) string {
	switch st {
	case service.StatusRunning:
		return msgServiceRunning
	case service.StatusStopped:
		return msgServiceStopped
	}
	return msgServiceUnknown
}

// daemonFunc is the daemon (`kopi run`): it runs until ctx is cancelled,
// then shuts down gracefully and returns.
type daemonFunc func(ctx context.Context) error

// serviceProgram adapts a daemonFunc to the service manager: Start runs
// it, Stop cancels its context — the same graceful shutdown as SIGTERM —
// and waits for it to return.
type serviceProgram struct {
	parent context.Context
	run    daemonFunc
	// exit ends the process when the daemon stops by itself, so the
	// service manager sees a failure and applies its restart policy.
	exit func(err error)

	mu       stdsync.Mutex
	cancel   context.CancelFunc
	done     chan error
	stopping bool
}

// Start launches the daemon and returns at once, as service managers
// require.
func (p *serviceProgram) Start(service.Service) error {
	parent := p.parent
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	p.mu.Lock()
	p.cancel, p.done = cancel, make(chan error, 1)
	p.mu.Unlock()
	go func() {
		err := p.run(ctx)
		p.mu.Lock()
		stopping := p.stopping
		p.mu.Unlock()
		p.done <- err
		if !stopping && p.exit != nil {
			p.exit(err)
		}
	}()
	return nil
}

// Stop cancels the daemon's context and waits for its graceful shutdown.
func (p *serviceProgram) Stop(service.Service) error {
	p.mu.Lock()
	p.stopping = true
	cancel, done := p.cancel, p.done
	p.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// runAsService runs the daemon under the Windows service manager when
// the process was started by it; otherwise (a console, systemd, a
// container) it just runs the daemon, whose context main cancels on
// SIGINT/SIGTERM.
func runAsService(ctx context.Context, run daemonFunc, stderr io.Writer) error {
	if !underServiceManager() {
		return run(ctx)
	}
	p := &serviceProgram{parent: ctx, run: run, exit: func(err error) {
		if err != nil {
			fmt.Fprintln(stderr, "kopi:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}}
	s, err := service.New(p, &service.Config{Name: serviceName, DisplayName: serviceDisplayName})
	if err != nil {
		return fmt.Errorf(msgServiceSystem, err)
	}
	return s.Run()
}

// underServiceManager reports whether the Windows service manager
// started this process. On Linux systemd delivers SIGTERM, which main
// already maps to the graceful shutdown.
func underServiceManager() bool {
	return runtime.GOOS == "windows" && !service.Interactive()
}

// dispatchService is dispatch, except that `kopi run` started by the
// Windows service manager runs as a service: its stop request cancels
// the daemon's context like SIGTERM does, and its logs (no console)
// go to kopi.log beside the configuration file.
func dispatchService(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 || args[0] != "run" || !underServiceManager() {
		return dispatch(ctx, env, args)
	}
	if f, err := openServiceLog(args[1:]); err == nil {
		defer f.Close()
		env = &environment{stdout: f, stderr: f}
	}
	return runAsService(ctx, func(ctx context.Context) error { return dispatch(ctx, env, args) }, env.stderr)
}

// openServiceLog opens kopi.log in the directory of the --config file
// named in args (append, owner-only).
func openServiceLog(args []string) (*os.File, error) {
	cfg := defaultConfigPath
	for i, a := range args {
		switch {
		case (a == "--config" || a == "-config") && i+1 < len(args):
			cfg = args[i+1]
		case strings.HasPrefix(a, "--config="), strings.HasPrefix(a, "-config="):
			_, cfg, _ = strings.Cut(a, "=")
		}
	}
	return os.OpenFile(filepath.Join(filepath.Dir(cfg), "kopi.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
}

// serviceActionHelp says what each action of `kopi service` does.
var serviceActionHelp = map[string]string{
	"install":   "pasang kopi sebagai layanan sistem (systemd atau layanan Windows) yang menjalankan `kopi run`",
	"uninstall": "copot layanan kopi",
	"start":     "mulai layanan kopi",
	"stop":      "hentikan layanan kopi",
	"restart":   "hentikan lalu mulai lagi layanan kopi",
	"status":    "tampilkan apakah layanan kopi terpasang dan berjalan",
}

// printServiceHelp writes the help of `kopi service`: each action and
// its flags.
func printServiceHelp(w io.Writer) {
	fmt.Fprintf(w, "kopi service — %s\n\n", summaryOf("service"))
	fmt.Fprintf(w, msgHelpUsage+"\n\n", "kopi service <tindakan> [--config BERKAS]")
	fmt.Fprintln(w, msgServiceActions)
	for _, a := range serviceActions {
		fmt.Fprintf(w, "  %-10s %s\n", a, serviceActionHelp[a])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, msgHelpFlags)
	fmt.Fprintf(w, "  --config BERKAS\n        %s%s\n", msgServiceConfigFlag, fmt.Sprintf(msgHelpDefault, defaultConfigPath))
	fmt.Fprintf(w, "  --user AKUN\n        %s\n", msgServiceUserFlag)
	fmt.Fprintf(w, "  -h, --help\n        %s\n", msgHelpHelp)
	fmt.Fprintln(w)
	fmt.Fprintln(w, msgServiceHelpMore)
}
