package sync

import (
	"context"
	"errors"
	"time"

	"kopi/rules"
)

// Forms reads the intake form's responses.
type Forms interface {
	// Responses streams responses submitted or edited since the cursor
	// (the zero time reads all), decoded with the question mapping.
	Responses(ctx context.Context, formID string, ids map[rules.Field]string, since time.Time, fn func(rules.Submission) error) error
}

// Tracker is the tracking spreadsheet.
type Tracker interface {
	// Read returns cases, roster and state in one batched read, and the
	// transaction through which the cycle writes what it decided from
	// them: those writes find records and new rows by what this read
	// saw, so they go through it and through no other read's.
	Read(ctx context.Context) (*rules.Snapshot, TrackerTx, error)
}

// TrackerTx writes a cycle's decisions, positioned by the read that
// handed it out. Records are named by their identities (a response id,
// an SOP case, a delivery's ID), new SOP rows by the reference the read
// gave them; where they are stays inside the transaction.
type TrackerTx interface {
	// Commit writes changed rows, new cases, ledger, outbox intents and
	// cursor atomically, giving new outbox records their IDs.
	Commit(ctx context.Context, ch *rules.Changes) error
	// CommitPart is Commit for a part of a backlog that more commits of
	// the same cycle follow (the last part goes through Commit).
	CommitPart(ctx context.Context, ch *rules.Changes) error
	// CommitBytes bounds the request bytes ch adds to a commit; it is
	// additive over the records of ch.
	CommitBytes(ch *rules.Changes) int
	// UpdateBytes bounds the request bytes one row update adds to a
	// commit (part of CommitBytes).
	UpdateBytes(u rules.CaseUpdate) int
	// VerifyLayout confirms that this cycle's row writes landed on their
	// rows under the right headers, and puts back what a sort or a column
	// move by staff meanwhile misplaced; it returns the number of rows
	// repaired.
	VerifyLayout(ctx context.Context) (int, error)
	// Finish ends the cycle's writes: what they left open until checked
	// (the row-write journal) is closed, unless a write since closed it.
	Finish(ctx context.Context) error
	// UpdateSOPRows writes kopi's cells of SOP case rows (found by
	// their anchors): the flows the last commit recorded.
	UpdateSOPRows(ctx context.Context, views []rules.SOPRowView) error
	// SaveDeliveries records outbox progress, each delivery over its
	// record (found by its ID: the read's or the commit's).
	SaveDeliveries(ctx context.Context, ds []rules.Delivery) error
	// DeliveryBytes bounds the request bytes one delivery adds to
	// SaveDeliveries.
	DeliveryBytes(d rules.Delivery) int
}

// TrackerOf adapts a tracker whose Read hands out its own transaction
// type (google.Tracker's *google.TrackerTx) to Tracker.
func TrackerOf[Tx TrackerTx](r interface {
	Read(ctx context.Context) (*rules.Snapshot, Tx, error)
}) Tracker {
	return trackerOf[Tx]{r}
}

type trackerOf[Tx TrackerTx] struct {
	r interface {
		Read(ctx context.Context) (*rules.Snapshot, Tx, error)
	}
}

func (a trackerOf[Tx]) Read(ctx context.Context) (*rules.Snapshot, TrackerTx, error) {
	snap, tx, err := a.r.Read(ctx)
	if err != nil {
		return nil, nil, err
	}
	return snap, tx, nil
}

// Mailer sends email as drafts that are created, recorded, then sent.
type Mailer interface {
	CreateDraft(ctx context.Context, e rules.Email) (rules.DraftRef, error)
	// KopiDrafts returns the drafts carrying a reference token, by token,
	// after a crash that may have followed drafts.create.
	KopiDrafts(ctx context.Context) (map[string][]rules.DraftRef, error)
	// SendDraft sends a draft; an error with DraftGone() true means the
	// draft no longer exists: sent before, or deleted by a person.
	SendDraft(ctx context.Context, draftID string) (rules.SentRef, error)
	// FindSent looks for the sent email carrying reference ref among the
	// mail sent since the draft was made (hint: the draft's message);
	// found is false when there is none.
	FindSent(ctx context.Context, ref string, since time.Time, hint rules.SentRef) (rules.SentRef, bool, error)
	DeleteDraft(ctx context.Context, draftID string) error
	// DiscardDraft deletes a recorded draft that will not be sent and
	// reports whether Gmail still had it: false means sent before or
	// deleted by a person, and FindSent decides which.
	DiscardDraft(ctx context.Context, draftID string) (bool, error)
	// SentMessageID returns the RFC 5322 Message-ID Gmail gave a sent
	// email (it replaces kopi's), for a reply's In-Reply-To.
	SentMessageID(ctx context.Context, sent rules.SentRef) (string, error)
}

// The adapters' errors carry their meaning as methods, so that sync can
// branch on it without importing them.

func hasBehaviour(err error, pick func(any) bool) bool {
	for e := err; e != nil; {
		if pick(e) {
			return true
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			e = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				if hasBehaviour(x, pick) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

func isDraftGone(err error) bool {
	return hasBehaviour(err, func(e any) bool { x, ok := e.(interface{ DraftGone() bool }); return ok && x.DraftGone() })
}

func isPermanent(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return hasBehaviour(err, func(e any) bool { x, ok := e.(interface{ Permanent() bool }); return ok && x.Permanent() })
}

func isRateLimited(err error) bool {
	return hasBehaviour(err, func(e any) bool { x, ok := e.(interface{ RateLimited() bool }); return ok && x.RateLimited() })
}
