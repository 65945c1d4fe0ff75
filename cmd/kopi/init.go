package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"kopi/google"
	"kopi/rules"
	"kopi/sop"
)

// initOptions are the flags of `kopi init`.
type initOptions struct {
	configPath   string
	createForm   bool
	createSurvey bool
	title        string
	// sops lists SOPs (ids or definition files) whose tabs init adds,
	// besides those the config's sops lists.
	sops []string
}

// defaultTitle names what init creates: "<title> — Pelacakan Konsultasi"
// for the spreadsheet and "<title> — Formulir Konsultasi" for the form.
const defaultTitle = "KOPI Terintegrasi"

// runInit parses `kopi init` flags.
func runInit(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "init", "[--config kopi.yaml] [--create-intake-form] [--create-survey-form] [--title JUDUL] [--sop bimtek]")
	var o initOptions
	fs.StringVar(&o.configPath, "config", defaultConfigPath, "berkas konfigurasi; ID yang dibuat ditulis ke berkas ini")
	fs.BoolVar(&o.createForm, "create-intake-form", false, "buat juga Google Form asupan konsultasi (jika intake.form_id kosong)")
	fs.BoolVar(&o.createSurvey, "create-survey-form", false, "buat juga Google Form Survei Kepuasan Masyarakat (jika survey.form_id kosong)")
	fs.StringVar(&o.title, "title", defaultTitle, "judul dasar spreadsheet dan formulir yang dibuat")
	fs.Func("sop", "tambahkan tab SOP lain (id bawaan, mis. bimtek, atau berkas .yaml), serta tab Peran dan Riwayat; boleh diulang", func(v string) error {
		o.sops = append(o.sops, v)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	return initCmd(ctx, env, o)
}

// initCmd creates or adopts the tracking spreadsheet (and, on request,
// the intake form) and writes the new ids into the configuration file.
func initCmd(ctx context.Context, env *environment, o initOptions) error {
	// The ids init is about to create may still be empty; anything
	// else wrong with the file stops it before it creates anything.
	oc, err := openSession(ctx, env.stderr, o.configPath, keySpreadsheetID, keyFormID)
	if err != nil {
		return err
	}
	save := func(key, id string) error {
		if err := setConfigValue(oc.path, key, id); err != nil {
			return fmt.Errorf(msgInitConfigUpdate, oc.path, err)
		}
		fmt.Fprintf(env.stdout, msgConfigWritten+"\n", oc.path, key)
		return nil
	}
	for _, s := range o.sops {
		if !slices.Contains(oc.cfg.SOPs, s) {
			oc.cfg.SOPs = append(oc.cfg.SOPs, s)
			fmt.Fprintf(env.stdout, msgSOPAddToConfig+"\n", s)
		}
	}
	err = initOffice(ctx, env.stdout, initSetup{
		cfg: oc.cfg, google: oc.google, retrier: &google.Retrier{Logger: oc.logger},
		createForm: o.createForm, createSurvey: o.createSurvey, title: o.title, saveID: save,
	})
	if err != nil {
		return err
	}
	if oc.cfg.Intake.FormID == "" {
		fmt.Fprintln(env.stdout, msgFormMissingHint)
		return nil
	}
	if err := oc.cfg.Validate(); err != nil {
		return fmt.Errorf(msgInitInvalid, err)
	}
	return nil
}

// initSetup is what initOffice needs.
type initSetup struct {
	cfg        *rules.Config // ids are filled in as they are created
	google     google.Options
	retrier    *google.Retrier
	createForm bool
	// createSurvey creates the satisfaction survey form too.
	createSurvey bool
	title        string
	// saveID records a created id at once (nil: keep it in cfg only), so
	// a failure later in init never leaves an orphan spreadsheet or form
	// that the next run would create again.
	saveID func(key, id string) error
}

// initOffice is the body of `kopi init`, shared with `kopi demo`: create
// the spreadsheet if the config names none, lay out its tabs (one atomic
// batchUpdate, nothing when already done) and create the intake form on
// request. It reports each step on out.
func initOffice(ctx context.Context, out io.Writer, s initSetup) error {
	svc, err := google.NewServices(ctx, s.google)
	if err != nil {
		return explain(msgNewServices, err, s.cfg)
	}
	cfg := s.cfg
	save := func(key, id string) error {
		if s.saveID == nil {
			return nil
		}
		return s.saveID(key, id)
	}
	adopted := cfg.Tracker.SpreadsheetID != ""
	if !adopted {
		id, err := google.CreateSpreadsheet(ctx, svc.Sheets, s.retrier, s.title+" — Pelacakan Konsultasi", cfg.TimeZone)
		if err != nil {
			return explain(msgCreateSheet, err, cfg)
		}
		cfg.Tracker.SpreadsheetID = id
		fmt.Fprintf(out, msgSheetCreated+"\n", id)
		if err := save(keySpreadsheetID, id); err != nil {
			return err
		}
	}
	sh := google.NewSheets(svc.Sheets, s.retrier, cfg.Tracker.SpreadsheetID)
	defs, err := sop.Resolve(cfg.SOPs)
	if err == nil {
		err = google.CheckSOPs(defs)
	}
	if err != nil {
		return err
	}
	tr := google.NewTracker(sh, cfg).RunSOPs(defs)
	changes, err := sh.Ensure(ctx, tr.Schemas(), google.Seed{google.RosterTab.Title: google.ExampleRoster(cfg), google.RolesTab.Title: google.ExampleRoles(defs)})
	if err != nil {
		return explain(fmt.Sprintf(msgEnsureSheet, cfg.Tracker.SpreadsheetID), err, cfg)
	}
	// Said only once the spreadsheet answered: an id that does not work
	// is reported as such, not as adopted.
	if adopted {
		fmt.Fprintf(out, msgSheetAdopted+"\n", cfg.Tracker.SpreadsheetID)
	}
	if len(changes) == 0 {
		fmt.Fprintln(out, msgSheetReady)
	} else {
		fmt.Fprintln(out, msgSheetChanged)
		for _, c := range changes {
			fmt.Fprintln(out, "  - "+c)
		}
	}
	fmt.Fprintf(out, msgSheetLink+"\n", sheetLink(cfg))
	if err := initSurvey(ctx, out, svc, s, save); err != nil {
		return err
	}
	if !s.createForm {
		return nil
	}
	if cfg.Intake.FormID != "" {
		fmt.Fprintf(out, msgFormExists+"\n", cfg.Intake.FormID)
		return nil
	}
	form, err := google.CreateIntakeForm(ctx, svc.Forms, s.retrier, cfg, s.title+" — Formulir Konsultasi")
	if err != nil {
		return explain(msgCreateForm, err, cfg)
	}
	cfg.Intake.FormID = form.ID
	fmt.Fprintf(out, msgFormCreated+"\n", form.ID)
	fmt.Fprintf(out, msgFormLink+"\n", form.ResponderURI)
	return save(keyFormID, form.ID)
}
