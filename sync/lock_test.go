package sync_test

import (
	"context"
	"errors"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"kopi/google"
	"kopi/rules"
	"kopi/sync"
)

// lockOn returns a lock of a new instance on the env's spreadsheet, with
// its own adapters as a separate daemon would have.
func (e *env) lockOn(host string, store func(sync.Heartbeats) sync.Heartbeats) *sync.Lock {
	e.t.Helper()
	var hb sync.Heartbeats = google.NewHeartbeats(e.workspace().Sheets)
	if store != nil {
		hb = store(hb)
	}
	return sync.NewLock(sync.LockOptions{Store: hb, Host: host, Now: e.clock.Now})
}

func TestLockSecondInstanceRefuses(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a := e.lockOn("server-kantor", nil)
	if err := a.Acquire(e.ctx); err != nil {
		t.Fatalf("first instance: %v", err)
	}
	e.clock.Advance(2 * time.Minute)
	b := e.lockOn("laptop-operator", nil)
	err := b.Acquire(e.ctx)
	var held *sync.HeldError
	if !errors.As(err, &held) {
		t.Fatalf("second instance: got %v, want a HeldError", err)
	}
	msg := err.Error()
	for _, want := range []string{`"server-kantor"`, "2026-03-02 08:00:00 WIB", "2m0s yang lalu", "15m0s"} {
		if !strings.Contains(msg, want) {
			t.Errorf("refusal %q does not say %q", msg, want)
		}
	}
	// kopi once checks the same way without claiming.
	if err := e.lockOn("cron", nil).Check(e.ctx); !errors.As(err, &held) {
		t.Errorf("check while a daemon is alive: %v", err)
	}
	// The first instance keeps beating: still refused 14 minutes later.
	for range 3 {
		e.clock.Advance(5 * time.Minute)
		if err := a.Beat(e.ctx); err != nil {
			t.Fatalf("beat: %v", err)
		}
	}
	if err := e.lockOn("laptop-operator", nil).Acquire(e.ctx); !errors.As(err, &held) {
		t.Fatalf("second instance after beats: %v", err)
	}
}

func TestLockTakeoverAfterStaleHeartbeat(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a := e.lockOn("server-lama", nil)
	if err := a.Acquire(e.ctx); err != nil {
		t.Fatal(err)
	}
	// The first instance dies without releasing: no more beats.
	e.clock.Advance(sync.DefaultStaleAfter - time.Second)
	var held *sync.HeldError
	if err := e.lockOn("server-baru", nil).Acquire(e.ctx); !errors.As(err, &held) {
		t.Fatalf("takeover before the heartbeat is stale: %v", err)
	}
	e.clock.Advance(time.Second)
	b := e.lockOn("server-baru", nil)
	if err := b.Acquire(e.ctx); err != nil {
		t.Fatalf("takeover after the heartbeat went stale: %v", err)
	}
	// The old instance comes back (a suspended machine): it must not
	// beat over the new holder's claim, and cannot claim again.
	if a.Held(e.clock.Now()) {
		t.Error("old instance still believes it holds the spreadsheet")
	}
	if err := a.Beat(e.ctx); !errors.Is(err, sync.ErrLockLost) {
		t.Errorf("old instance's beat: %v, want ErrLockLost", err)
	}
	if err := a.Acquire(e.ctx); !errors.As(err, &held) || held.Holder.Host != "server-baru" {
		t.Errorf("old instance re-acquiring: %v", err)
	}
}

func TestLockReleaseLetsSuccessorStartAtOnce(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a := e.lockOn("server-kantor", nil)
	if err := a.Acquire(e.ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Release(e.ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.lockOn("server-kantor", nil).Acquire(e.ctx); err != nil {
		t.Fatalf("start after a clean stop: %v", err)
	}
}

// barrier holds every claim until n instances have reached their claim,
// so all of them passed the first read: the worst interleaving.
type barrier struct {
	sync.Heartbeats
	wg *stdsync.WaitGroup
}

func (b barrier) SaveBeat(ctx context.Context, hb rules.Heartbeat) error {
	if hb.Order == 0 {
		b.wg.Done()
		b.wg.Wait()
	}
	return b.Heartbeats.SaveBeat(ctx, hb)
}

func TestLockRaceOfStartingInstancesHasOneWinner(t *testing.T) {
	t.Parallel()
	for _, n := range []int{2, 3} {
		for round := range 3 {
			e := setup(t)
			var wg stdsync.WaitGroup
			wg.Add(n)
			locks := make([]*sync.Lock, n)
			for i := range locks {
				locks[i] = e.lockOn("server", func(h sync.Heartbeats) sync.Heartbeats { return barrier{h, &wg} })
			}
			errs := make([]error, n)
			var run stdsync.WaitGroup
			for i, l := range locks {
				run.Add(1)
				go func() { defer run.Done(); errs[i] = l.Acquire(e.ctx) }()
			}
			run.Wait()
			winners := 0
			for _, err := range errs {
				var held *sync.HeldError
				switch {
				case err == nil:
					winners++
				case !errors.As(err, &held):
					t.Fatalf("n=%d round %d: unexpected error %v", n, round, err)
				}
			}
			if winners != 1 {
				t.Fatalf("n=%d round %d: %d instances won the race (%v)", n, round, winners, errs)
			}
			// The losers marked their claims stopped: only the winner is
			// alive for a later starter.
			var held *sync.HeldError
			if err := e.lockOn("later", nil).Check(e.ctx); !errors.As(err, &held) {
				t.Fatalf("later check: %v", err)
			}
		}
	}
}
