package main

import (
	"context"
	"fmt"
	"time"

	"kopi/google"
	"kopi/rules"
	ksync "kopi/sync"
)

// wireSurvey connects the survey form when the config names one, so
// that cycles take its responses in: the one `kopi once` set from the
// state-tab cache, or else read at start (one forms.get).
func wireSurvey(ctx context.Context, cfg *rules.Config, ws *google.Workspace, o *ksync.Options) error {
	if cfg.Survey.FormID == "" {
		return nil
	}
	sf := ws.Survey
	if sf == nil {
		var err error
		if sf, err = google.ConnectSurvey(ctx, ws.Forms, cfg.Survey.FormID); err != nil {
			return fmt.Errorf(msgConnectSurvey, err)
		}
	}
	o.Survey, o.Surveys = sf, ws.Tracker
	return nil
}

// nightlyReport is the daemon's nightly job: rebuild the Laporan tab
// for the month of the day that just ended.
func nightlyReport(ctx context.Context, eng *ksync.Engine, met *metrics, now time.Time) error {
	p := ksync.NightlyPeriod(now, eng.Location())
	if _, err := eng.RebuildReport(ctx, p); err != nil {
		met.report("gagal")
		return fmt.Errorf(msgReportFailed, p.Label, err)
	}
	met.report("berhasil")
	return nil
}

// reportOptions are the flags of `kopi report`.
type reportOptions struct {
	configPath  string
	month, year string
}

// runReport parses `kopi report` flags.
func runReport(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "report", "[--config kopi.yaml] (--month TTTT-BB | --year TTTT)")
	var o reportOptions
	fs.StringVar(&o.configPath, "config", defaultConfigPath, "berkas konfigurasi")
	fs.StringVar(&o.month, "month", "", "bangun laporan satu bulan, mis. 2026-11")
	fs.StringVar(&o.year, "year", "", "bangun laporan satu tahun, mis. 2026")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	if (o.month == "") == (o.year == "") {
		return fmt.Errorf("%w: %s", errUsage, msgReportPeriodFlag)
	}
	return reportCmd(ctx, env, o)
}

// reportCmd rebuilds the Laporan tab for one month or year on demand.
func reportCmd(ctx context.Context, env *environment, o reportOptions) error {
	oc, err := openSession(ctx, env.stderr, o.configPath)
	if err != nil {
		return err
	}
	text := o.month
	if o.year != "" {
		text = o.year
	}
	p, err := rules.ParseReportPeriod(text, oc.cfg.Location())
	if err != nil || (o.month != "" && len(p.Months()) != 1) || (o.year != "" && len(p.Months()) != 12) {
		return fmt.Errorf("%w: %s", errUsage, msgReportPeriodFlag)
	}
	eng, ws, err := newEngine(ctx, wiring{
		cfg: oc.cfg, cal: oc.cal, google: oc.google,
		retrier: &google.Retrier{Logger: oc.logger},
		now:     env.clock(), logger: oc.logger,
		templatesDir: oc.resolve(oc.cfg.Mail.TemplatesDir),
	})
	if err != nil {
		return err
	}
	r, err := eng.RebuildReport(ctx, p)
	if err != nil {
		return fmt.Errorf(msgReportFailed, p.Label, err)
	}
	k := r.IKM.IKM
	ikm := msgReportNoIKM
	if k.Valid {
		ikm = fmt.Sprintf(msgReportIKM, k.IndexText(), k.Grade, k.Grade.Label(), k.Respondents)
	}
	fmt.Fprintf(env.stdout, msgReportDone+"\n", p.Label, r.Total, ikm)
	if r.IKM.Short && r.IKM.Population > 0 {
		fmt.Fprintf(env.stdout, msgReportShort+"\n", r.IKM.IKM.Respondents, r.IKM.MinSample)
	}
	for _, c := range r.Compliance {
		fmt.Fprintf(env.stdout, msgReportCompliance+"\n", c.Name, c.Source())
	}
	fmt.Fprintf(env.stdout, msgReportLink+"\n", ws.SheetURL)
	return nil
}
