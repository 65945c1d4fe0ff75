package sync_test

import (
	"strings"
	"testing"
	"time"
)

// sopCrashScenario brings a Bimtek case to the secretary's review
// (step 4) with clean cycles and has the secretary pick Koreksi: the
// transition the crash tests interrupt.
func sopCrashScenario(t *testing.T) *sopEnv {
	s := setupSOPs(t, bimtekPeople, "bimtek")
	s.start("Bimtek", "Bimtek Pengadaan Barang/Jasa")
	for _, d := range []string{"Selesai", "Selesai", "Selesai"} {
		s.decide("Bimtek", "BIMTEK-0001", d, "")
	}
	rows := s.tab("Bimtek")
	s.setCells("Bimtek", caseRow(rows, "BIMTEK-0001"), map[string]string{"Keputusan": "Koreksi", "Catatan Keputusan": "Nomor SPT salah."})
	s.clock.Advance(5 * time.Minute)
	return s
}

// fork is the scenario on a copy of its office, for test t.
func (s *sopEnv) fork(t *testing.T) *sopEnv {
	e := s.env.fork(t)
	return &sopEnv{env: e, st: newStaff(e)}
}

// checkTransition asserts the transition happened exactly once: the row
// at step 3 with its decision consumed, one Riwayat row per transition,
// one email per entry into a step (the last one the correction, quoting
// its note), and no draft left behind.
func (s *sopEnv) checkTransition(t *testing.T, label string) {
	t.Helper()
	rows := s.tab("Bimtek")
	r := caseRow(rows, "BIMTEK-0001")
	if cell(rows, r, "Langkah") != "3" || cell(rows, r, "Keputusan") != "" || cell(rows, r, "Koreksi") != "1" {
		t.Fatalf("%s: row = %v", label, rows[r])
	}
	if got := strings.Join(s.path("BIMTEK-0001"), " "); got != "-→1 1→2 2→3 3→4 4→3" {
		t.Fatalf("%s: Riwayat = %s", label, got)
	}
	mails := s.sentAbout("BIMTEK-0001")
	want := []string{"sekretaris@example.go.id", "irban@example.go.id", "kepegawaian@example.go.id", "sekretaris@example.go.id", "kepegawaian@example.go.id"}
	if strings.Join(mails, " ") != strings.Join(want, " ") {
		t.Fatalf("%s: emails to %v, want %v", label, mails, want)
	}
	sent := s.srv.Sent("me")
	if last := sent[len(sent)-1]; !strings.Contains(last.Text, "Nomor SPT salah.") {
		t.Errorf("%s: the correction email lacks its note", label)
	}
	drafts, err := s.gmail().Users.Drafts.List("me").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts.Drafts) != 0 {
		t.Errorf("%s: %d drafts left", label, len(drafts.Drafts))
	}
}

// TestSOPTransitionCrashAtEveryCall kills the daemon after each HTTP
// call of the cycle that applies a Koreksi, and separately lets each
// call be applied but lose its response; clean cycles follow. The
// transition is never lost nor applied twice: one history row, each
// email once.
func TestSOPTransitionCrashAtEveryCall(t *testing.T) {
	t.Parallel()
	// The office before the transition's cycle, built once; every run
	// starts from a copy of it, as if set up afresh.
	office := sopCrashScenario(t)
	clean := office.fork(t)
	clean.transport.arm(0, 0)
	if rep := clean.cycle(); rep.SOPTransitions != 1 {
		t.Fatalf("clean transition: %+v", rep)
	}
	calls := clean.transport.count()
	clean.checkTransition(t, "no crash")
	runs := eachCrashPoint(t, calls, func(t *testing.T, label string, crash func(*env)) {
		s := office.fork(t)
		crash(s.env)
		s.settle(3, nil)
		s.checkTransition(t, label)
	})
	t.Logf("crash points run: %d (calls in the transition's cycle: %d)", runs, calls)
}
