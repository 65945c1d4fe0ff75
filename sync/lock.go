package sync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"kopi/rules"
)

// Heartbeats is the store of the instance heartbeat records (the hidden
// state tab of the tracker).
type Heartbeats interface {
	// Beats reads every heartbeat record, in claim order (Order).
	Beats(ctx context.Context) ([]rules.Heartbeat, error)
	// SaveBeat writes a recorded claim (Order > 0) in place, where the
	// last Beats found it, or appends a new one.
	SaveBeat(ctx context.Context, b rules.Heartbeat) error
}

// Default heartbeat timing: a beat every 5 minutes, another instance
// presumed dead after 3 missed beats.
const (
	DefaultBeatEvery  = 5 * time.Minute
	DefaultStaleAfter = 3 * DefaultBeatEvery
)

// LockOptions configure a Lock.
type LockOptions struct {
	Store Heartbeats
	// Host names this machine in the record (no personal data).
	Host string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Location is the office's time zone, for the times in messages;
	// nil means the clock's own.
	Location *time.Location
	// Every is the beat interval (default DefaultBeatEvery); StaleAfter
	// the silence after which an instance is presumed dead (default
	// 3 × Every).
	Every, StaleAfter time.Duration
}

// Lock keeps one daemon per spreadsheet. Acquire appends this instance's
// claim to the state tab and reads the records back: of the alive claims,
// the one in the earliest row holds the spreadsheet (rules.LockHolder),
// so two daemons starting at once cannot both win. The holder beats
// every Every; another instance takes over once the beats stop for
// StaleAfter. The holder considers its hold lost itself one interval
// earlier (Held), so it stops working before anyone may take over.
type Lock struct {
	o    LockOptions
	id   string
	mine rules.Heartbeat
	held bool
}

// NewLock returns a lock with a fresh random instance id.
func NewLock(o LockOptions) *Lock {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Every <= 0 {
		o.Every = DefaultBeatEvery
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = 3 * o.Every
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	return &Lock{o: o, id: hex.EncodeToString(b[:])}
}

// Instance is this daemon's instance id.
func (l *Lock) Instance() string { return l.id }

// Every is the beat interval.
func (l *Lock) Every() time.Duration { return l.o.Every }

// LastBeat is the time of this instance's last successful beat.
func (l *Lock) LastBeat() time.Time { return l.mine.Beat }

// HeldError says another instance serves the spreadsheet.
type HeldError struct {
	Holder     rules.Heartbeat
	Now        time.Time
	StaleAfter time.Duration
	// Location shows the last beat in the office's time zone.
	Location *time.Location
}

func (e *HeldError) Error() string {
	ago := e.Now.Sub(e.Holder.Beat).Round(time.Second)
	if ago < 0 {
		ago = 0
	}
	loc := e.Location
	if loc == nil {
		loc = e.Now.Location()
	}
	return fmt.Sprintf(msgLockHeld, e.Holder.Host, e.Holder.Beat.In(loc).Format("2006-01-02 15:04:05 MST"), ago, e.StaleAfter)
}

// ErrLockLost reports that this instance could not beat for so long that
// another instance may have taken over.
var ErrLockLost = errors.New(msgLockLost)

// Check reads the records and fails with a *HeldError when another
// instance is alive (one read; `kopi once` uses it, claiming nothing).
func (l *Lock) Check(ctx context.Context) error {
	beats, err := l.o.Store.Beats(ctx)
	if err != nil {
		return err
	}
	now := l.o.Now()
	if h, ok := rules.LockHolder(beats, now, l.o.StaleAfter); ok && h.Instance != l.id {
		return &HeldError{Holder: h, Now: now, StaleAfter: l.o.StaleAfter, Location: l.o.Location}
	}
	return nil
}

// Acquire claims the spreadsheet for this instance: read (refuse when
// another instance is alive), append the claim, read back (refuse when an
// earlier claim is alive), then write the claim once more in place, so
// the store can find the record later without its read-time position.
// Four calls.
func (l *Lock) Acquire(ctx context.Context) error {
	l.held = false
	if err := l.Check(ctx); err != nil {
		return err
	}
	now := l.o.Now()
	claim := rules.Heartbeat{Instance: l.id, Host: l.o.Host, Claimed: now, Beat: now}
	if err := l.o.Store.SaveBeat(ctx, claim); err != nil {
		return fmt.Errorf("claim the spreadsheet: %w", err)
	}
	beats, err := l.o.Store.Beats(ctx)
	if err != nil {
		return fmt.Errorf("confirm the claim: %w", err)
	}
	for _, b := range beats {
		if b.Instance == l.id {
			claim.Order = b.Order
		}
	}
	if claim.Order == 0 {
		return fmt.Errorf("confirm the claim: the claim of instance %s is not in the state tab", l.id)
	}
	l.mine = claim
	now = l.o.Now()
	h, ok := rules.LockHolder(beats, now, l.o.StaleAfter)
	if ok && h.Instance != l.id {
		// The losing claim is left to go stale rather than marked
		// stopped: its row index may already have moved under the
		// winner's first inserts, and a write by a stale index could
		// land on another record.
		return &HeldError{Holder: h, Now: now, StaleAfter: l.o.StaleAfter, Location: l.o.Location}
	}
	if err := l.o.Store.SaveBeat(ctx, claim); err != nil {
		return fmt.Errorf("confirm the claim: %w", err)
	}
	l.held = true
	return nil
}

// Held reports whether this instance may still work at now: it holds the
// lock and its last beat is recent enough that nobody can have taken
// over (younger than StaleAfter - Every, leaving one interval of margin
// for clocks and the time a beat takes).
func (l *Lock) Held(now time.Time) bool {
	return l.held && now.Sub(l.mine.Beat) < l.o.StaleAfter-l.o.Every
}

// Due reports whether a beat is due at now.
func (l *Lock) Due(now time.Time) bool { return l.held && now.Sub(l.mine.Beat) >= l.o.Every }

// Beat records that this instance is alive (one write, no read). It
// fails with ErrLockLost when the last beat is already too old: another
// instance may hold the spreadsheet now, so the caller must Acquire
// again.
func (l *Lock) Beat(ctx context.Context) error {
	now := l.o.Now()
	if !l.Held(now) {
		l.held = false
		return ErrLockLost
	}
	b := l.mine
	b.Beat = now
	if err := l.o.Store.SaveBeat(ctx, b); err != nil {
		return err
	}
	l.mine = b
	return nil
}

// Release marks this instance stopped, so a successor starts at once
// instead of waiting for the beats to go stale.
func (l *Lock) Release(ctx context.Context) error {
	if !l.held {
		return nil
	}
	l.held = false
	b := l.mine
	b.Beat, b.Stopped = l.o.Now(), true
	return l.o.Store.SaveBeat(ctx, b)
}

// Operator messages of the lock, in Indonesian.
const (
	// msgLockHeld: host, last beat, how long ago, stale interval.
	msgLockHeld = "spreadsheet pelacakan ini sedang dilayani kopi lain di komputer %q (detak terakhir %s, %s yang lalu). " +
		"Hanya satu kopi boleh berjalan per spreadsheet: hentikan kopi di komputer itu dulu. " +
		"Jika komputer itu sudah mati, kopi ini dapat mengambil alih setelah %s tanpa detak"
	msgLockLost = "kopi tidak dapat mencatat detaknya di spreadsheet cukup lama sehingga kopi lain mungkin telah mengambil alih; siklus dihentikan sampai klaim diperbarui"
)
