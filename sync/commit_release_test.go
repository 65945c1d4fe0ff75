package sync_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestBacklogCommitsLogEachNewCase: a backlog written in several
// commits logs each new case once, by its ticket, as its part commits —
// the parts' cases are released after committing, so a log made from
// them later would name none.
func TestBacklogCommitsLogEachNewCase(t *testing.T) {
	t.Parallel()
	const n = 6
	e := setup(t)
	backlog(e, n)
	e.commitBytes = 2*weightOfCase(t) + 512 // two cases a commit
	e.cycle()
	logs := e.logs.String()
	if !strings.Contains(logs, "beberapa commit") {
		t.Fatalf("the backlog was not written in several commits:\n%s", logs)
	}
	for i := 1; i <= n; i++ {
		tk := fmt.Sprintf("tiket=KOPI-2026-%04d", i)
		if got := strings.Count(logs, "msg=\"kasus baru\" "+tk+" "); got != 1 {
			t.Errorf("%s logged as a new case %d times, want 1", tk, got)
		}
	}
	if strings.Contains(logs, "tiket=KOPI-0000") || strings.Contains(logs, "tiket=\"\"") {
		t.Errorf("a new case logged without its ticket:\n%s", logs)
	}
	checkBacklog(t, e, n, "logged")
}
