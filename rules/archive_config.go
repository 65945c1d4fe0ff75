package rules

// validateArchive checks the archive key as given: off (0) or at least
// ArchiveMinDays, and never before retention has anonymised a case —
// retention works on the live tab only, so a case archived first would
// keep its personal data. The default (key left out) follows retention
// (Config.ArchiveDays), so it is never refused.
func (c *Config) validateArchive(v *validator) {
	if c.Archive.AfterDays == nil {
		return
	}
	d := *c.Archive.AfterDays
	if d < 0 || (d > 0 && d < ArchiveMinDays) {
		v.add("archive.after_days", 0, msgArchiveDays, d, ArchiveMinDays)
		return
	}
	if r := c.Retention.AnonymizeAfterDays; d > 0 && r > 0 && d < r {
		v.add("archive.after_days", 0, msgArchiveRetain, d, r, r)
	}
}
