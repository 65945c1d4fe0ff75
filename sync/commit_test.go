package sync_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

const mBatchUpdate = "sheets.spreadsheets.batchUpdate"

// backlog submits n complete requests; those at the indexes in long ask
// a question of 60,000 characters (longer than a cell, with characters
// the JSON encoder escapes six times over).
func backlog(e *env, n int, long ...int) {
	topics := e.cfg.TopicNames()
	isLong := map[int]bool{}
	for _, i := range long {
		isLong[i] = true
	}
	for i := 0; i < n; i++ {
		s := complete(fmt.Sprintf("p%02d", i), topics[i%len(topics)])
		if isLong[i] {
			s[rules.FieldPertanyaan] = strings.Repeat("Apakah <belanja> & modal? ", 60000/26+1)[:60000]
		}
		e.submit(s)
	}
}

// checkBacklog asserts one row per response, tickets 1..n, and every
// receipt sent exactly once.
func checkBacklog(t *testing.T, e *env, n int, label string) {
	t.Helper()
	all := e.rows()
	ti := column(all, "No. Tiket")
	seen := map[string]int{}
	for _, r := range dataRows(all) {
		seen[r[ti]]++
	}
	for i := 1; i <= n; i++ {
		tk := fmt.Sprintf("KOPI-2026-%04d", i)
		if seen[tk] != 1 {
			t.Errorf("%s: ticket %s has %d rows, want 1", label, tk, seen[tk])
		}
	}
	if len(seen) != n {
		t.Errorf("%s: %d tickets, want %d", label, len(seen), n)
	}
	count := map[string]int{}
	for _, m := range e.srv.Sent("me") {
		count[m.Subject]++
	}
	receipts := 0
	for subj, k := range count {
		if k != 1 {
			t.Errorf("%s: email %q sent %d times", label, subj, k)
		}
		if strings.Contains(subj, "Tanda terima") {
			receipts += k
		}
	}
	if receipts != n {
		t.Errorf("%s: %d receipts, want %d", label, receipts, n)
	}
}

// TestBacklogInBoundedCommits: a backlog larger than one commit's budget
// is written in several commits, none of whose requests is over the
// budget (long questions included: their overflow parts count), and
// every response becomes exactly one case with its emails.
func TestBacklogInBoundedCommits(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.commitBytes = 150_000
	const n = 40
	backlog(e, n, 3, 17)
	e.srv.ResetCalls()
	rep := e.cycle()
	if rep.NewCases != n {
		t.Fatalf("new cases = %d, want %d", rep.NewCases, n)
	}
	if got := e.srv.Calls()[mBatchUpdate]; got < 3 {
		t.Errorf("%d batchUpdates, want the backlog in several commits", got)
	}
	// The envelope (request list, ranges, read-back) is under a kilobyte.
	if got := e.srv.MaxRequestBytes()[mBatchUpdate]; got > int64(e.commitBytes)+1024 {
		t.Errorf("largest batchUpdate is %d bytes, budget %d", got, e.commitBytes)
	}
	e.cycle()
	checkBacklog(t, e, n, "bounded")
	snap, _, err := e.workspace().Tracker.Read(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	long := 0
	for _, c := range snap.Cases {
		if len(c.Question) == 60000 {
			long++
		}
	}
	if long != 2 {
		t.Errorf("%d questions read back whole at 60,000 characters, want 2", long)
	}
}

// TestBacklogWithinBudgetIsOneCommit: the default budget keeps a usual
// cycle's changes in ONE commit.
func TestBacklogWithinBudgetIsOneCommit(t *testing.T) {
	t.Parallel()
	e := setup(t)
	backlog(e, 40, 3)
	e.srv.ResetCalls()
	e.cycle()
	if strings.Contains(e.logs.String(), "beberapa commit") {
		t.Errorf("40 cases were split into several commits under the default budget:\n%s", e.logs)
	}
}

// TestCrashBetweenBacklogCommits kills the daemon after every HTTP call
// of a cycle taking a backlog in three commits — and separately lets
// each call be applied but lose its answer — then runs clean cycles:
// every response has exactly one row and every receipt went out once.
func TestCrashBetweenBacklogCommits(t *testing.T) {
	t.Parallel()
	const n = 6
	// The office with its backlog, built once; the clean run and every
	// crash point start from a copy of it.
	office := setup(t)
	backlog(office, n)
	// two cases a commit
	office.commitBytes = 2*weightOfCase(t) + 512
	e := office.fork(t)
	e.transport.arm(0, 0)
	// The crash points are the calls up to the first email: the commits'
	// windows (crashes while sending are TestCrashAtEveryCall's).
	calls := 0
	e.transport.before = func(req *http.Request) bool {
		if calls == 0 && strings.Contains(req.URL.Path, "/gmail/") {
			calls = e.transport.count()
		}
		return true
	}
	e.srv.ResetCalls()
	e.cycle()
	e.transport.before = nil
	if got := e.srv.Calls()[mBatchUpdate]; got < 4 { // three parts and the deliveries
		t.Fatalf("%d batchUpdates, want the backlog in three commits", got)
	}
	checkBacklog(t, e, n, "no crash")
	t.Logf("crash points: calls 1..%d", calls)
	eachCrashPoint(t, calls, func(t *testing.T, label string, crash func(*env)) {
		e := office.fork(t)
		crash(e)
		e.settle(3, nil)
		checkBacklog(t, e, n, label)
	})
}

// weightOfCase is the largest request of a cycle taking in one case: its
// commit, envelope included.
func weightOfCase(t *testing.T) int {
	e := setup(t)
	backlog(e, 1)
	e.srv.ResetCalls()
	e.cycle()
	return int(e.srv.MaxRequestBytes()[mBatchUpdate])
}

// TestRowUpdatesInBoundedRequests: when many existing rows change at
// once (here staff cleared every WhatsApp link, which kopi derives and
// writes back), the row writes go in several commits under the budget
// (each with the row-write journal's copy and its read-back: the
// envelope), and every row gets its link back.
func TestRowUpdatesInBoundedRequests(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const n = 30
	backlog(e, n)
	e.cycle()
	all := e.rows()
	li := column(all, "Tautan WhatsApp")
	want := map[int]string{}
	st := newStaff(e)
	for r := 1; r < len(all); r++ {
		if li < len(all[r]) && all[r][li] != "" {
			want[r] = all[r][li]
			st.set(a1(li, r), "")
		}
	}
	if len(want) != n {
		t.Fatalf("%d rows with a link, want %d", len(want), n)
	}
	e.commitBytes = 4000
	e.srv.ResetCalls()
	e.clock.Advance(time.Minute)
	e.cycle()
	if got := e.srv.Calls()["sheets.spreadsheets.values.batchUpdateByDataFilter"]; got != 0 {
		t.Errorf("%d writes by anchor, want the rows written in the commits", got)
	}
	if got := e.srv.Calls()[mBatchUpdate]; got < 3 {
		t.Errorf("%d commits, want the %d rows in several", got, n)
	}
	// The envelope: {"requests":[…]}, the journal's copy and record, the
	// layout read-back's ranges.
	if got := e.srv.MaxRequestBytes()[mBatchUpdate]; got > int64(e.commitBytes)+2048 {
		t.Errorf("largest row write is %d bytes, budget %d", got, e.commitBytes)
	}
	after := e.rows()
	for r, link := range want {
		if after[r][li] != link {
			t.Errorf("row %d: link %q, want %q", r, after[r][li], link)
		}
	}
}

// TestDeliveryRecordsInBoundedRequests: a cycle that settles many emails
// at once — thirty responses' receipts and assignments drafted under
// Gmail's sending limit, then sent when it lifts — records them in
// requests of at most the commit budget (plus the request's envelope),
// every record written, every email sent once.
func TestDeliveryRecordsInBoundedRequests(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const n = 30
	backlog(e, n)
	if err := e.srv.AddFault(gmailCap()); err != nil {
		t.Fatal(err)
	}
	e.cycle()
	e.srv.ClearFaults()
	drafted := 0
	for _, r := range stateRecords(e, "surel") {
		if r["nilai"] == string(rules.DeliveryDrafted) {
			drafted++
		}
	}
	if drafted < n {
		t.Fatalf("%d emails drafted under the limit, want at least %d", drafted, n)
	}
	e.commitBytes = 4000
	e.srv.ResetCalls()
	e.clock.Advance(time.Minute)
	e.cycle()
	const m = "sheets.spreadsheets.batchUpdate"
	if got := e.srv.Calls()[m]; got < 3 {
		t.Errorf("%d state writes for %d sent emails, want several", got, drafted)
	}
	// The envelope: {"requests":[…]} and the layout read-back fields.
	if got := e.srv.MaxRequestBytes()[m]; got > int64(e.commitBytes)+1024 {
		t.Errorf("largest state write is %d bytes, budget %d", got, e.commitBytes)
	}
	sent := 0
	for _, r := range stateRecords(e, "surel") {
		switch rules.DeliveryState(r["nilai"]) {
		case rules.DeliverySent:
			sent++
		case rules.DeliveryDrafted, rules.DeliveryQueued:
			t.Errorf("record still %q: %v", r["nilai"], r)
		}
	}
	if msgs := len(e.srv.Sent("me")); sent != drafted || msgs != drafted {
		t.Errorf("%d records sent, %d messages in Sent, want %d each", sent, msgs, drafted)
	}
}

// TestCommitPartAsksNoReplies: a commit that reads nothing back asks for
// the spreadsheet's id alone, so Sheets does not send a reply per request
// (a part of 200 cases creates 200 row anchors, each echoed whole without
// a mask); the last part, which reads the layout back, still gets it.
func TestCommitPartAsksNoReplies(t *testing.T) {
	e := setup(t)
	ws, err := e.connect()
	if err != nil {
		t.Fatal(err)
	}
	_, tx, err := ws.Tracker.Read(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.ResetCalls()
	if err := tx.CommitPart(e.ctx, e.historyChanges(0, 200)); err != nil {
		t.Fatal(err)
	}
	if got := e.srv.Bytes()[mBatchUpdate]; got == 0 || got > 200 {
		t.Errorf("a part of 200 cases downloaded %d bytes, want the spreadsheet id alone", got)
	}
	e.srv.ResetCalls()
	last := e.historyChanges(200, 400)
	last.Cursor = last.NewCases[len(last.NewCases)-1].SubmittedAt
	if err := tx.Commit(e.ctx, last); err != nil {
		t.Fatal(err)
	}
	if got := e.srv.Bytes()[mBatchUpdate]; got < 400*10 {
		t.Errorf("the last part downloaded %d bytes, want the layout of 400 rows read back", got)
	}
	if n := len(dataRows(e.rows())); n != 400 {
		t.Errorf("%d rows written, want 400", n)
	}
}
