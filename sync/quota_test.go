package sync_test

import (
	"strings"
	"testing"
	"time"
)

// TestPollingEveryMinuteStaysUnderSheetsQuota: with the fake enforcing
// the Sheets quota (60 reads and 60 writes per minute per user), a
// working hour of one cycle a minute — requests arriving, answers
// approved — is never refused, and the busiest minute uses a small part
// of the quota.
func TestPollingEveryMinuteStaysUnderSheetsQuota(t *testing.T) {
	t.Parallel()
	underEach(t, quotaVariants, func(t *testing.T) {
		e := setup(t)
		topics := e.cfg.TopicNames()
		busiest := 0
		for minute := 0; minute < 60; minute++ {
			if minute%10 == 0 {
				e.submit(complete("warga"+itoa(minute), topics[minute/10%len(topics)]))
			}
			e.srv.ResetCalls()
			e.cycle()
			n := 0
			for id, c := range e.srv.Calls() {
				if strings.HasPrefix(id, "sheets.") {
					n += c
				}
			}
			busiest = max(busiest, n)
			e.clock.Advance(time.Minute)
		}
		if n := e.srv.QuotaRefusals(); n != 0 {
			t.Errorf("%d calls were refused for quota", n)
		}
		if busiest > 15 {
			t.Errorf("busiest minute used %d Sheets calls; the quota is 60 reads + 60 writes", busiest)
		}
		t.Logf("busiest minute: %d Sheets calls (quota 60 reads + 60 writes per minute)", busiest)
	})
}
