package sync

import (
	"context"
	"fmt"
	"time"

	"kopi/rules"
)

// confirmGone settles a delivery whose draft Gmail no longer has. Gmail
// deletes a draft when it sends it, so after a crash that lost
// drafts.send's answer the 404 means "sent" — but a person who deleted
// kopi's draft in the office mailbox causes the same 404. Only the Sent
// folder tells them apart: the email is recorded as sent when a sent
// message carries its reference, and flagged DeliveryDraftDeleted (never
// sent) when none does. It returns false when the Sent folder could not
// be read; the delivery then stays drafted and the next cycle asks again.
// A withdrawn reminder whose draft is gone is settled the same way, with
// unsent DeliveryWithdrawn: what was sent stays recorded as sent.
func (e *Engine) confirmGone(ctx context.Context, d *rules.Delivery, now time.Time, unsent rules.DeliveryState, detail string) (bool, error) {
	sent, found, err := e.o.Mailer.FindSent(ctx, refOf(d), d.At, rules.SentRef{MessageID: d.MessageID, ThreadID: d.ThreadID})
	if err != nil {
		return false, fmt.Errorf("look for the sent email: %w", err)
	}
	if !found {
		d.State, d.At, d.Detail = unsent, now, detail
		return true, nil
	}
	d.State, d.At, d.Detail = rules.DeliverySent, now, ""
	d.MessageID = sent.MessageID
	if sent.ThreadID != "" {
		d.ThreadID = sent.ThreadID
	}
	return true, nil
}
