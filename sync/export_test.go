package sync

// PartCollector is the commit loop's collection policy between a
// backlog's parts, for the history seed, which writes as the loop does.
type PartCollector = partCollector

// NewPartCollector starts a PartCollector before a backlog's first part.
var NewPartCollector = newPartCollector

// AfterPart decides after a committed part (the last comes next when
// beforeLast) and reports whether it collected.
func (c *PartCollector) AfterPart(beforeLast bool) bool { return c.afterPart(beforeLast) }
