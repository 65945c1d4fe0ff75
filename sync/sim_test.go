package sync_test

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"testing"
	"time"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
	"kopi/sop"
	"kopi/sync"
)

// The whole-office simulation (issue #15 item 1): from one seed, a
// deterministic stream of actions — respondents, staff, Google's faults,
// crashes, the clock — runs against the fake Workspace, and the end state
// is checked against the fake's own record (responses, cells, the Sent
// folder, drafts), not kopi's view of it.
//
//	go test ./sync -run Simulation                      # short seed set
//	go test ./sync -run Simulation -sim.seeds=200       # CI's long mode
//	go test ./sync -run Simulation -sim.seed=N -v       # replay one seed
var (
	simSeeds = flag.Int("sim.seeds", 0, "simulation: number of seeds to run (0: the short set of the normal suite)")
	simSeed  = flag.Uint64("sim.seed", 0, "simulation: replay this one seed (prints its trace)")
	simDays  = flag.Int("sim.days", 0, "simulation: working days of office time per seed (0: 1 for the short set, 10 with -sim.seeds or -sim.seed)")
	simFirst = flag.Uint64("sim.first", 1, "simulation: first seed of the set")
)

// TestSimulation runs the seed set; a failing seed is shrunk and printed
// with the command that replays it.
func TestSimulation(t *testing.T) {
	t.Parallel()
	days := *simDays
	var seeds []uint64
	switch {
	case *simSeed != 0:
		seeds = []uint64{*simSeed}
		if days == 0 {
			days = 10
		}
	case *simSeeds > 0:
		for i := range *simSeeds {
			seeds = append(seeds, *simFirst+uint64(i))
		}
		if days == 0 {
			days = 10
		}
	default:
		seeds = []uint64{*simFirst, *simFirst + 1}
		if days == 0 {
			days = 1
		}
	}
	start := time.Now()
	// Seeds run on every core, each on its own fake; the first failing
	// seed (in seed order) is shrunk and reported, the rest skipped.
	results := make([]*simResult, len(seeds))
	scs := make([]*simScenario, len(seeds))
	var next atomic.Int64
	var stop atomic.Bool
	var wg stdsync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(seeds) || stop.Load() {
					return
				}
				scs[i] = generate(seeds[i], days)
				res := scs[i].run()
				results[i] = &res
				if len(res.violations) > 0 {
					stop.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	var office time.Duration
	ran, failed, surveys, archived, archivedSurveys, sopArchived, casesDeleted := 0, 0, 0, 0, 0, 0, 0
	for i, res := range results {
		if res == nil {
			continue
		}
		ran++
		office += res.office
		surveys += res.surveys
		archived += res.archived
		archivedSurveys += res.archivedSurveys
		sopArchived += res.sopArchived
		casesDeleted += res.casesDeleted
		sc := scs[i]
		if *simSeed != 0 {
			t.Logf("seed %d (%s): %d actions, %d cycles, %d responses, %d surveys, %d archived, %d Bimtek decisions, %d Bimtek cases archived, %d emails\n%s", sc.seed, sc.opts, len(sc.actions), res.cycles, res.responses, res.surveys, res.archived, res.decisions, res.sopArchived, res.sent, sc.trace(sc.actions))
		}
		if len(res.violations) == 0 || failed > 0 {
			failed += min(len(res.violations), 1)
			continue
		}
		failed++
		shrunk := sc.shrink(res.violations[0])
		t.Errorf("simulation seed %d (%s) failed:\n  %s\nshrunk trace (%d of %d actions):\n%s\nreplay: go test ./sync -run 'TestSimulation$' -sim.seed=%d -sim.days=%d -v",
			sc.seed, sc.opts, strings.Join(res.violations, "\n  "), len(shrunk.actions), len(sc.actions), sc.trace(shrunk.actions), sc.seed, days)
	}
	t.Logf("simulation: %d seeds × %d working days, %v of simulated time, %d surveys (%d archived), %d cases archived, %d Bimtek cases archived, %d case rows deleted by staff, %d failing, %v", ran, days, office.Round(time.Hour), surveys, archivedSurveys, archived, sopArchived, casesDeleted, failed, time.Since(start).Round(time.Millisecond))
}

// TestSimulationIsDeterministic: one seed run twice leaves the same
// record in the fake (rows, emails in order), so a printed seed replays.
func TestSimulationIsDeterministic(t *testing.T) {
	t.Parallel()
	sc := generate(*simFirst+7, 1)
	sc.actions = sc.actions[:min(len(sc.actions), 30)]
	a, b := sc.run(), sc.run()
	if len(a.violations)+len(b.violations) > 0 {
		t.Fatalf("violations: %v %v", a.violations, b.violations)
	}
	if a.fingerprint != b.fingerprint {
		t.Fatalf("the same seed left different records:\n%s\n---\n%s", a.fingerprint, b.fingerprint)
	}
}

// simAction is one step of the office. Its parameters are picked when the
// scenario is generated and interpreted against the state at run time
// (modulo what exists), so any subset of a scenario still runs: that is
// what lets a failing trace be shrunk by dropping actions.
type simAction struct {
	Kind string
	A, B int
	C    int // a fault or crash parameter
}

func (a simAction) String() string { return fmt.Sprintf("%s(%d,%d,%d)", a.Kind, a.A, a.B, a.C) }

// The kinds of action.
const (
	actSubmit    = "submit"    // a requester sends the form: A picks values, B how it is broken
	actEdit      = "edit"      // a requester edits response A mod n
	actAdvance   = "advance"   // the clock moves A minutes
	actCycle     = "cycle"     // the daemon runs a cycle, with fault C on method B (A: times)
	actCrash     = "crash"     // the daemon dies after call A (B=1: call A applied, answer lost)
	actOutage    = "outage"    // Google answers 503 to everything for A minutes (cycles every 30)
	actGmailCap  = "gmailcap"  // Gmail refuses sending for the next A cycles (daily limit)
	actAnswer    = "answer"    // staff write an answer (Dijawab) on row A
	actApprove   = "approve"   // the admin approves row A's answer (Disetujui)
	actResend    = "resend"    // the admin sends row A's answer again (Kirim Ulang)
	actNote      = "note"      // staff type in their own column on row A
	actSort      = "sort"      // staff sort the tab by column A (B: descending)
	actInsert    = "insert"    // staff insert B blank rows at A
	actManual    = "manual"    // staff type a manual note row below the data, in column 1+C (mod the width)
	actDelManual = "delmanual" // staff delete manual row A
	actMoveCol   = "movecol"   // staff move column A to B
	actHide      = "hide"      // staff hide (B=1) or show rows from A
	actLeave     = "leave"     // consultant A on leave for B days (0: back)
	actChaos     = "chaos"     // staff sort and insert rows between the daemon's read and row write (C=1: it dies after the write)
	actDelDraft  = "deldraft"  // a person deletes the draft kopi is about to send
	actBimtek    = "bimtek"    // staff add a Bimtek training event (A: title, B: duration choice)
	actDecide    = "decide"    // the actor of Bimtek case A decides its step (B=1: Koreksi where allowed)
	actSurvey    = "survey"    // a requester answers the survey about case A with values B (C: how the ticket is typed)
	actMonth     = "month"     // a month passes; that night the archive runs, the daemon dying after call A (B=1: applied, answer lost), then after call C
	actDelCase   = "delcase"   // staff delete case row A (one no survey named)
	actFilter    = "filter"    // staff set a basic filter hiding the rows showing case A>>5's value in column A (B=0: clear it)
	actFinish    = "finish"    // staff drive Bimtek case A to its end, a clean cycle after each decision (none open: start one, title A, duration B)
)

// The faults a cycle can meet (simAction.C of actCycle).
const (
	faultNone = iota
	fault429
	fault5xx
	faultDrop
	faultDelay
	faultKinds
)

// The methods faults are put on.
var simMethods = []string{
	"*",
	"sheets.spreadsheets.get",
	"sheets.spreadsheets.batchUpdate",
	"sheets.spreadsheets.values.batchUpdateByDataFilter",
	"sheets.spreadsheets.values.batchGetByDataFilter",
	"forms.forms.responses.list",
	"forms.forms.get",
	"gmail.users.drafts.create",
	"gmail.users.drafts.send",
	"gmail.users.drafts.list",
	"gmail.users.messages.list",
	"gmail.users.messages.get",
}

// simScenario is a seed's generated office: fake options and actions.
type simScenario struct {
	seed    uint64
	opts    simOptions
	actions []simAction
	// survey gives the office the satisfaction survey (and its
	// reminder): the long runs (3 days and more) and their replays; the
	// normal suite's short set keeps its cost without it.
	survey bool
}

// simOptions are the fake's undocumented-behaviour choices for a seed.
type simOptions struct {
	SortLeavesMetadata, DraftSendKeepsMessageID, FormsFilterByCreateTime, SheetsQuota bool
	DataFilterMissFails                                                               bool
}

func (o simOptions) String() string {
	var on []string
	for _, x := range []struct {
		name string
		v    bool
	}{{"SortLeavesMetadata", o.SortLeavesMetadata}, {"DraftSendKeepsMessageID", o.DraftSendKeepsMessageID}, {"FormsFilterByCreateTime", o.FormsFilterByCreateTime}, {"SheetsQuota", o.SheetsQuota}, {"DataFilterMissFails", o.DataFilterMissFails}} {
		if x.v {
			on = append(on, x.name)
		}
	}
	if len(on) == 0 {
		return "default fake"
	}
	return strings.Join(on, "+")
}

// generate makes a seed's scenario: days working days from Monday 2 March
// 2026, each from 07:30 to 17:30 in steps of 15–45 minutes with events,
// and the night in a few long steps.
func generate(seed uint64, days int) *simScenario {
	r := rand.New(rand.NewPCG(seed, 0x6b6f7069))
	// x draws what the generator added later (deleting case rows, the
	// column of a manual note, a Bimtek case driven to its end): a
	// stream of its own, so that r draws what it always drew and a
	// seed's original actions stay as they were.
	x := rand.New(rand.NewPCG(seed, 0x73696d78))
	sc := &simScenario{seed: seed, survey: days >= 3}
	sc.opts = simOptions{
		SortLeavesMetadata:      r.IntN(2) == 0,
		DraftSendKeepsMessageID: r.IntN(2) == 0,
		FormsFilterByCreateTime: r.IntN(2) == 0,
		SheetsQuota:             r.IntN(4) == 0,
	}
	// The fake's behaviour options added later draw from a stream of
	// their own too, so that neither r's nor x's draws move.
	o := rand.New(rand.NewPCG(seed, 0x6f707473))
	sc.opts.DataFilterMissFails = o.IntN(2) == 0
	add := func(kind string, a, b, c int) { sc.actions = append(sc.actions, simAction{kind, a, b, c}) }
	n := func(k int) int { return r.IntN(k) }
	for day := 0; day < days; day++ {
		// The day: 08:00 (setup's start) to about 17:00.
		for elapsed := 0; elapsed < 9*60; {
			step := 15 + n(31)
			add(actAdvance, step, 0, 0)
			elapsed += step
			for k := n(4); k > 0; k-- {
				switch p := n(108); {
				case p >= 100:
					a, b, c := n(1<<20), n(1<<20), n(6)
					if sc.survey {
						add(actSurvey, a, b, c)
					}
				case p < 18:
					add(actSubmit, n(1<<20), n(8), 0)
				case p < 21:
					add(actBimtek, n(1<<20), n(3), 0)
				case p < 30:
					add(actDecide, n(1<<20), n(3)/2, n(1<<20))
				case p < 38:
					add(actEdit, n(1<<20), n(1<<20), n(8))
				case p < 46:
					add(actAnswer, n(1<<20), n(1<<20), 0)
				case p < 55:
					add(actApprove, n(1<<20), n(1<<20), n(2))
				case p < 59:
					add(actResend, n(1<<20), 0, 0)
				case p < 64:
					add(actNote, n(1<<20), n(1<<20), 0)
				case p < 68:
					add(actSort, n(32), n(2), 0)
				case p < 72:
					add(actInsert, 1+n(12), 1+n(3), 0)
				case p < 75:
					add(actManual, n(1<<20), 0, x.IntN(32))
				case p < 77:
					add(actDelManual, n(1<<20), 0, 0)
				case p < 80:
					from, to := n(32), n(32)
					add(actMoveCol, from, to, 0)
				case p < 82:
					add(actHide, 1+n(12), n(2), 0)
				case p < 86:
					add(actLeave, n(8), n(4)*n(5), 0)
				case p < 96:
					crash := n(2) // drawn first, as the seeds always drew it
					add(actChaos, n(32), n(12), crash)
				default:
					add(actDelDraft, 0, 0, 0)
				}
			}
			switch p := x.IntN(100); {
			case p < 4:
				add(actDelCase, x.IntN(1<<20), 0, 0)
			case p < 7:
				add(actFilter, x.IntN(1<<20), x.IntN(3), 0)
			}
			switch p := n(100); {
			case p < 10:
				add(actCrash, 1+n(14), n(2), 0)
			case p < 12:
				add(actOutage, 60*(1+n(4)), 0, 0)
			case p < 14:
				add(actGmailCap, 1+n(3), 0, 0)
			case p < 40:
				add(actCycle, 1+n(3), n(len(simMethods)), 1+n(faultKinds-1))
			default:
				add(actCycle, 0, 0, faultNone)
			}
		}
		// Evening and night: a few cycles, then the next working morning.
		add(actAdvance, 3*60, 0, 0)
		add(actCycle, 0, 0, faultNone)
		add(actAdvance, -1, 0, 0) // to 07:45 of the next working day
		add(actCycle, 0, 0, faultNone)
		add(actAdvance, 15, 0, 0)
		// The long runs (3 days and more): in the middle, a month
		// passes; the nightly archive moves the closed cases while the
		// daemon dies, and the office goes on with the archived ones.
		// Before it, staff take a Bimtek case to its end, so that the
		// night archives it (31 days are past the archive period).
		if days >= 3 && day == (days-1)/2 {
			add(actFinish, x.IntN(1<<20), x.IntN(3), 0)
			add(actMonth, 1+n(30), n(2), 1+n(30))
		}
	}
	return sc
}

func (sc *simScenario) trace(actions []simAction) string {
	var b strings.Builder
	for i, a := range actions {
		fmt.Fprintf(&b, "  %3d %s\n", i, a)
	}
	return b.String()
}

// shrink drops actions (halves, then quarters, … then single actions)
// while the run still fails with the same kind of violation.
func (sc *simScenario) shrink(first string) *simScenario {
	kind := violationKind(first)
	cur := &simScenario{seed: sc.seed, opts: sc.opts, actions: sc.actions, survey: sc.survey}
	fails := func(acts []simAction) bool {
		res := (&simScenario{seed: sc.seed, opts: sc.opts, actions: acts, survey: sc.survey}).run()
		for _, v := range res.violations {
			if violationKind(v) == kind {
				return true
			}
		}
		return false
	}
	budget := 80 // runs: keeps a failing CI step bounded
	for chunk := len(cur.actions) / 2; chunk >= 1 && budget > 0; chunk /= 2 {
		for i := 0; i+chunk <= len(cur.actions) && budget > 0; {
			try := append(append([]simAction{}, cur.actions[:i]...), cur.actions[i+chunk:]...)
			budget--
			if fails(try) {
				cur.actions = try
				continue
			}
			i += chunk
		}
	}
	return cur
}

// violationKind is a violation's text up to its first colon.
func violationKind(v string) string {
	k, _, _ := strings.Cut(v, ":")
	return k
}

// The project-owned corpus of hostile strings (testdata/sim).
var (
	simHostile   = loadCorpus("testdata/sim/hostile.txt")
	simBadEmails = loadCorpus("testdata/sim/bad_emails.txt")
	simBadPhones = loadCorpus("testdata/sim/bad_phones.txt")
	// simLong is a 60,000-character question with right-to-left text.
	simLong = func() string {
		s := ""
		for len([]rune(s)) < 60000 {
			s += "Mohon penjelasan reviu RKA 📑 — نص عربي من اليمين إلى اليسار =SUM(A1) <b>x</b>\r\n"
		}
		return string([]rune(s)[:60000])
	}()
)

func loadCorpus(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, err := strconv.Unquote(line)
		if err != nil {
			panic(fmt.Sprintf("%s: %q: %v", path, line, err))
		}
		out = append(out, v)
	}
	return out
}

// simVersion is one submitted version of a response, as the requester
// typed it, with the time the fake gave it.
type simVersion struct {
	at  time.Time
	sub submission
}

type simResponse struct {
	id       string
	versions []simVersion
}

// simResult is what a run saw.
type simResult struct {
	violations []string
	office     time.Duration
	cycles     int
	responses  int
	sent       int
	decisions  int // Bimtek decisions taken
	surveys    int // survey responses submitted
	archived   int // cases in the archive at the end
	// sopArchived are the Bimtek cases in their archive at the end.
	sopArchived int
	// casesDeleted are the case rows staff deleted.
	casesDeleted int
	// archivedSurveys are the survey rows in the survey archive at the end.
	archivedSurveys int
	fingerprint     string
}

// simRun is one execution of a scenario.
type simRun struct {
	sc    *simScenario
	e     *env
	st    *staffAPI
	jrand *rand.Rand // the retry loop's jitter: seeded, so a replay waits the same
	resps []*simResponse
	// What staff typed and kopi must leave alone, by ticket.
	notes   map[string]string
	answers map[string]string
	// answersDue counts the answer emails each ticket must have sent
	// (approvals and resends); deleted counts emails whose draft a
	// person deleted, by ticket and kind.
	answersDue map[string]int
	deleted    map[string]int
	deletedRef map[string]bool
	// deletedSubj are the subjects of the drafts people deleted.
	deletedSubj []string
	manual      int // manual rows typed minus deleted
	// deletedCases are the case rows staff deleted: ticket → response id.
	deletedCases map[string]string
	// filter is whether staff left a basic filter on the cases' tab.
	filter bool
	leave  map[string]string
	// bimtek is each SOP case's path as the staff's decisions drive it.
	bimtek        map[string][]simTransition
	bimtekStarted int
	// finished are the Bimtek cases finishBimtek took to their end.
	finished   []string
	surveys    []simSurvey
	surveyed   map[string]bool // tickets a survey names
	surveyForm *google.SurveyForm
	archived   map[string]bool // tickets in the archive tab at the end
	// sopArchived are the Bimtek cases in their archive at the end
	// ("bimtek/case").
	sopArchived map[string]bool
	// archivedSurveys counts the survey archive's rows (checkSurveys).
	archivedSurveys int
	capCycles       int
	cycles          int
	// sentAt stamps each email of the Sent folder, in order, with the
	// start of the cycle that sent it; answeredAt is when staff first
	// answered or approved each ticket; drainFrom the drain's first cycle.
	sentAt     []time.Time
	answeredAt map[string]time.Time
	// surveyedAt is when a survey first named a ticket (the
	// respondent's submission).
	surveyedAt map[string]time.Time
	drainFrom  time.Time
	violations []string
}

func (r *simRun) violate(kind, format string, args ...any) {
	r.violations = append(r.violations, kind+": "+fmt.Sprintf(format, args...))
}

// run executes the scenario on a new office and checks the end state.
func (sc *simScenario) run() (res simResult) {
	r := &simRun{sc: sc, notes: map[string]string{}, answers: map[string]string{}, answersDue: map[string]int{},
		deleted: map[string]int{}, deletedRef: map[string]bool{}, leave: map[string]string{}, bimtek: map[string][]simTransition{},
		answeredAt: map[string]time.Time{}, deletedCases: map[string]string{}, surveyed: map[string]bool{}, surveyedAt: map[string]time.Time{},
		jrand: rand.New(rand.NewPCG(sc.seed, 0x6a6974))}
	defer func() {
		res.violations = r.violations
		res.cycles = r.cycles
		res.responses = len(r.resps)
		res.surveys, res.archived, res.archivedSurveys = len(r.surveys), len(r.archived), r.archivedSurveys
		res.sopArchived = len(r.sopArchived)
		res.casesDeleted = len(r.deletedCases)
		for _, p := range r.bimtek {
			res.decisions += len(p)
		}
		if r.e != nil {
			res.sent = len(r.e.srv.Sent("me"))
			res.office = r.e.clock.Now().Sub(simStart)
		}
	}()
	err := r.setup()
	if r.e != nil {
		defer r.e.srv.Close()
	}
	if err != nil {
		r.violate("harness", "setup: %v", err)
		return res
	}
	for i, a := range sc.actions {
		if err := r.do(a); err != nil {
			r.violate("harness", "action %d %s: %v", i, a, err)
			return res
		}
	}
	r.drain()
	r.check()
	res.fingerprint = r.fingerprint()
	return res
}

var simStart = time.Date(2026, 3, 2, 8, 0, 0, 0, wib)

func (r *simRun) setup() error {
	ctx := context.Background()
	clock := fake.NewClock(simStart)
	o := r.sc.opts
	srv, err := fake.New(fake.Options{Now: clock.Now, NoListener: true, Seed: r.sc.seed,
		SortLeavesMetadata: o.SortLeavesMetadata, DraftSendKeepsMessageID: o.DraftSendKeepsMessageID,
		FormsFilterByCreateTime: o.FormsFilterByCreateTime, SheetsQuota: o.SheetsQuota, DataFilterMissFails: o.DataFilterMissFails})
	if err != nil {
		return err
	}
	e := &env{ctx: ctx, srv: srv, clock: clock, logs: &bytes.Buffer{}}
	r.e = e // from here run closes the server, whatever happens
	e.transport = &crashTransport{base: srv.HTTPClient().Transport}
	cfg := rules.DefaultConfig()
	cfg.Mail.Sender = rules.Address{Name: "Admin KOPI Inspektorat Kabupaten Contoh", Address: "kopi@example.go.id"}
	cfg.Mail.Admins = []string{"admin.kopi@example.go.id"}
	cfg.Google.Endpoint = srv.URL()
	svc, err := google.NewServices(ctx, google.Options{Endpoint: srv.URL(), HTTPClient: srv.HTTPClient()})
	if err != nil {
		return err
	}
	rt := &google.Retrier{Clock: clock}
	form, err := google.CreateIntakeForm(ctx, svc.Forms, rt, cfg, "Formulir KOPI Terintegrasi")
	if err != nil {
		return err
	}
	cfg.Intake.FormID = form.ID
	sheetID, err := google.CreateSpreadsheet(ctx, svc.Sheets, rt, "KOPI — Pelacakan", "Asia/Jakarta")
	if err != nil {
		return err
	}
	cfg.Tracker.SpreadsheetID = sheetID
	cfg.SOPs = []string{"bimtek"}
	cfg.Reminders.PreBreachShare = simPreBreachShare
	// The satisfaction survey, as `kopi init --create-survey-form` makes
	// it; the archive at its shortest period, so that a long run's month
	// jump (actMonth) moves cases.
	if r.sc.survey {
		survey, err := google.CreateSurveyForm(ctx, svc.Forms, rt, "Survei KOPI")
		if err != nil {
			return err
		}
		cfg.Survey = rules.SurveyConfig{FormID: survey.ID, URL: survey.ResponderURI, TicketQuestionID: survey.TicketQuestionID}
		cfg.Survey.FollowUpAfter = rules.MustSpan(simSurveyFollowUp)
	}
	cfg.Archive.AfterDays = new(rules.ArchiveMinDays)
	if err := cfg.Validate(); err != nil {
		return err
	}
	defs, err := sop.Resolve(cfg.SOPs)
	if err != nil {
		return err
	}
	tr := google.NewTracker(google.NewSheets(svc.Sheets, rt, sheetID), cfg).RunSOPs(defs)
	if _, err := google.NewSheets(svc.Sheets, rt, sheetID).Ensure(ctx, tr.Schemas(), google.Seed{google.RosterTab.Title: google.ExampleRoster(cfg)}); err != nil {
		return err
	}
	e.cfg, e.formID, e.sheetID = cfg, form.ID, sheetID
	if e.cal, err = cfg.Calendar(); err != nil {
		return err
	}
	ws, err := r.connect()
	if err != nil {
		return err
	}
	e.questions = ws.Questions
	r.st, err = newStaffAPI(r)
	if err != nil {
		return err
	}
	// The office fills the Peran tab: one person per Bimtek role.
	people := map[string]string{}
	for i, p := range bimtekPeople {
		for c, v := range p {
			people[cellA1("Peran", c, i+1)] = v
		}
	}
	if err := r.st.setCells(people); err != nil {
		return err
	}
	// Staff's own column, right of kopi's.
	return r.st.addOwnColumn("Catatan Staf")
}

func (r *simRun) connect() (*google.Workspace, error) {
	e := r.e
	return google.Connect(e.ctx, e.cfg, google.Options{Endpoint: e.srv.URL(), HTTPClient: &http.Client{Transport: e.transport}},
		&google.Retrier{Clock: e.clock, Rand: r.jrand.Float64}, e.clock.Now)
}

// cycle starts a daemon (as a restart would) and runs one cycle; errors
// are the daemon's business (it retries next cycle), not a violation.
func (r *simRun) cycle() error {
	r.cycles++
	e := r.e
	defer r.stampSent(e.clock.Now())
	ws, err := r.connect()
	if err != nil {
		return err
	}
	eng, err := r.engine(ws)
	if err != nil {
		return err
	}
	_, err = eng.RunCycle(e.ctx)
	return err
}

// engine builds the daemon's engine on connected adapters, wired as
// cmd/kopi wires it: the survey, the report and the history included.
func (r *simRun) engine(ws *google.Workspace) (*sync.Engine, error) {
	e := r.e
	tmpl, err := simTemplates()
	if err != nil {
		return nil, err
	}
	o := sync.Options{
		Config: e.cfg, Calendar: e.cal, Forms: ws.Forms, Tracker: sync.TrackerOf(ws.Tracker), Mailer: ws.Gmail,
		Templates: tmpl, Questions: ws.Questions, FormURL: ws.FormURL, SheetURL: ws.SheetURL, SOPs: ws.SOPs,
		Now: e.clock.Now, Logger: slog.New(slog.DiscardHandler), Report: ws.Sheets, History: ws.Tracker,
	}
	// The survey form's questions are read once per run: its structure
	// never changes, and a forms.get per restart only costs time.
	if e.cfg.Survey.FormID == "" {
		return sync.New(o)
	}
	if r.surveyForm == nil {
		if r.surveyForm, err = google.ConnectSurvey(e.ctx, ws.Forms, e.cfg.Survey.FormID); err != nil {
			return nil, err
		}
	}
	o.Survey, o.Surveys = r.surveyForm, ws.Tracker
	return sync.New(o)
}

// simTemplates are the built-in email templates, parsed once for every
// run and cycle: a restarted daemon parses the same embedded files, and
// a parsed template only executes (html/template escapes it once, on
// first use, safely for concurrent runs).
var simTemplates = stdsync.OnceValues(func() (*sync.Templates, error) { return sync.LoadTemplates("") })

// nextMorning is 07:45 of the next working day after t.
func (r *simRun) nextMorning(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 7, 45, 0, 0, wib).AddDate(0, 0, 1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func (r *simRun) do(a simAction) error {
	e := r.e
	switch a.Kind {
	case actAdvance:
		if a.A < 0 {
			e.clock.Set(r.nextMorning(e.clock.Now()))
		} else {
			e.clock.Advance(time.Duration(a.A) * time.Minute)
		}
	case actCycle:
		if a.C != faultNone {
			if err := e.srv.AddFault(simFault(a)); err != nil {
				return err
			}
		}
		if r.capCycles > 0 {
			r.capCycles--
			if err := e.srv.AddFault(gmailCap()); err != nil {
				return err
			}
		}
		_ = r.cycle()
		e.srv.ClearFaults()
	case actCrash:
		if a.B == 1 {
			e.transport.arm(0, a.A)
		} else {
			e.transport.arm(a.A, 0)
		}
		_ = r.cycle()
		e.transport.arm(0, 0)
	case actOutage:
		for left := a.A; left > 0; left -= 30 {
			if err := e.srv.AddFault(fake.Fault{Method: "*", Status: http.StatusServiceUnavailable, Times: -1}); err != nil {
				return err
			}
			_ = r.cycle()
			e.srv.ClearFaults()
			e.clock.Advance(30 * time.Minute)
		}
	case actGmailCap:
		r.capCycles = a.A
	case actSubmit:
		return r.submit(a)
	case actEdit:
		return r.edit(a)
	case actAnswer, actApprove, actResend, actNote:
		return r.st.onRow(a)
	case actSort, actInsert, actManual, actDelManual, actMoveCol, actHide, actFilter:
		return r.st.layout(a)
	case actLeave:
		return r.st.leave(a)
	case actBimtek:
		return r.st.bimtekStart(a)
	case actDecide:
		return r.st.bimtekDecide(a)
	case actSurvey:
		return r.survey(a)
	case actMonth:
		r.month(a)
	case actDelCase:
		return r.st.deleteCase(a)
	case actFinish:
		return r.finishBimtek(a)
	case actChaos:
		e.transport.arm(0, 0)
		r.st.chaosNextWrite(a)
		_ = r.cycle()
		e.transport.mu.Lock()
		e.transport.before = nil
		e.transport.mu.Unlock()
		e.transport.arm(0, 0)
	case actDelDraft:
		r.st.deleteDraftOnSend()
		_ = r.cycle()
		e.transport.mu.Lock()
		e.transport.before = nil
		e.transport.mu.Unlock()
	default:
		return fmt.Errorf("unknown action %q", a.Kind)
	}
	return nil
}

func simFault(a simAction) fake.Fault {
	f := fake.Fault{Method: simMethods[a.B%len(simMethods)], Times: a.A}
	switch a.C {
	case fault429:
		f.Status, f.RetryAfter = http.StatusTooManyRequests, strconv.Itoa(1+a.A*7)
	case fault5xx:
		f.Status = []int{500, 502, 503}[a.A%3]
	case faultDrop:
		f.DropAfterHandling, f.Times = true, 1
	case faultDelay:
		f.DelayMs = 1 // a real wait: kept tiny; the point is the ordering
	}
	return f
}

// gmailCap is Gmail refusing to send past the account's daily limit:
// 429 with the sending-limit reason.
func gmailCap() fake.Fault {
	return fake.Fault{Method: "gmail.users.drafts.send", Status: http.StatusTooManyRequests, Reason: "rateLimitExceeded",
		Message: "User-rate limit exceeded: daily user sending limit exceeded", Times: -1}
}

// The requester's good values.
var (
	simGoodPhones = []string{"0812-3456-7890", "+62 813 1111 2222", "081234567890", "62 857-0000-1111"}
	simAttach     = []string{"", "https://drive.google.com/file/d/1AbCdEf/view", "0012 @SUM(A1) <script>alert(1)</script>"}
)

// simSubmission builds a version: v picks values, broken how it is broken
// (0–3: complete; 4: bad email; 5: bad phone; 6: a blank name; 7: bad
// email and phone). The form itself refuses an empty required answer.
func (r *simRun) simSubmission(v, broken, n int) submission {
	topics := r.e.cfg.TopicNames()
	pick := func(xs []string, k int) string { return xs[(v>>k)%len(xs)] }
	s := submission{
		rules.FieldNama:       strings.TrimSpace(pick(simHostile, 0)+" ") + fmt.Sprintf(" P%d", n),
		rules.FieldInstansi:   pick(simHostile, 3),
		rules.FieldEmail:      fmt.Sprintf("pemohon%d.%d@desa.example.id", n, v%97),
		rules.FieldWhatsApp:   pick(simGoodPhones, 6),
		rules.FieldTopik:      topics[(v>>8)%len(topics)],
		rules.FieldPertanyaan: pick(simHostile, 10) + " — " + pick(simHostile, 13),
		rules.FieldLampiran:   pick(simAttach, 16),
	}
	if (v>>18)%16 == 0 {
		s[rules.FieldPertanyaan] = simLong
	}
	switch broken {
	case 4:
		s[rules.FieldEmail] = pick(simBadEmails, 2)
	case 5:
		s[rules.FieldWhatsApp] = pick(simBadPhones, 5)
	case 6:
		s[rules.FieldNama] = " \t "
	case 7:
		s[rules.FieldEmail] = pick(simBadEmails, 2)
		s[rules.FieldWhatsApp] = pick(simBadPhones, 5)
	}
	return s
}

func (r *simRun) submit(a simAction) error {
	s := r.simSubmission(a.A, a.B, len(r.resps)+1)
	resp, err := r.e.srv.SubmitResponse(r.e.formID, r.e.answers(s), "")
	if err != nil {
		return fmt.Errorf("submit: %w", err)
	}
	at, err := time.Parse(time.RFC3339Nano, resp.LastSubmittedTime)
	if err != nil {
		return err
	}
	r.resps = append(r.resps, &simResponse{id: resp.ResponseId, versions: []simVersion{{at: at, sub: s}}})
	return nil
}

func (r *simRun) edit(a simAction) error {
	if len(r.resps) == 0 {
		return nil
	}
	sr := r.resps[a.A%len(r.resps)]
	// The office's clock stands still through a step, cycles included;
	// a requester's edit does not: it is stamped when submitted ("lastSubmittedTime:
	// Timestamp for the most recent time the response was submitted",
	// Forms API FormResponse), after the version a cycle of the same
	// step may have read. Stamped in the same instant, the edit looked
	// like that version to kopi (filed as the known bug simKnownOpenNoCrash;
	// the regression edit-stamped-with-read-version).
	if last := sr.versions[len(sr.versions)-1].at; !r.e.clock.Now().After(last) {
		r.e.clock.Set(last.Add(time.Second))
	}
	s := r.simSubmission(a.B, a.C, len(r.resps)+1000)
	resp, err := r.e.srv.EditResponse(r.e.formID, sr.id, r.e.answers(s))
	if err != nil {
		return fmt.Errorf("edit: %w", err)
	}
	at, err := time.Parse(time.RFC3339Nano, resp.LastSubmittedTime)
	if err != nil {
		return err
	}
	sr.versions = append(sr.versions, simVersion{at: at, sub: s})
	return nil
}

// month is a month of the office passing at once: 31 days later, at
// 19:00, the nightly cycles run — the first dying after call A (B=1:
// that call applied and its answer lost), the second after call C, the
// third clean — and the office reopens on the next working morning.
func (r *simRun) month(a simAction) {
	e := r.e
	now := e.clock.Now().In(wib)
	d := now.AddDate(0, 0, 31)
	e.clock.Set(time.Date(d.Year(), d.Month(), d.Day(), 19, 0, 0, 0, wib))
	for i, crash := range []struct{ after, lost int }{{a.A, a.B}, {a.C, 0}, {0, 0}} {
		switch {
		case crash.after == 0:
		case crash.lost == 1:
			e.transport.arm(0, crash.after)
		default:
			e.transport.arm(crash.after, 0)
		}
		_ = r.cycle()
		e.transport.arm(0, 0)
		if i < 2 {
			e.clock.Advance(20 * time.Minute)
		}
	}
	e.clock.Set(r.nextMorning(e.clock.Now()))
	_ = r.cycle()
	e.clock.Advance(15 * time.Minute)
}

// drain ends the office: no faults, the next two working mornings with
// cycles until nothing is left to send.
func (r *simRun) drain() {
	e := r.e
	e.srv.ClearFaults()
	e.transport.arm(0, 0)
	r.capCycles = 0
	for day := 0; day < 2; day++ {
		e.clock.Set(r.nextMorning(e.clock.Now()).Add(15 * time.Minute))
		if day == 0 {
			r.drainFrom = e.clock.Now()
		}
		for i := 0; i < 4; i++ {
			if err := r.cycle(); err != nil {
				r.violate("stuck", "a clean cycle failed: %v", err)
			}
			e.clock.Advance(10 * time.Minute)
		}
	}
}
