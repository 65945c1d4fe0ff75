// Package sync runs kopi's cycle: read the tracker, take in new and
// edited form responses, decide with the rules package, write the sheet,
// and deliver the outbox exactly once.
//
// It owns the workflow, not the wire: the small interfaces it consumes
// (Forms, Tracker, Mailer) are declared here and implemented by the google
// package, which sync never imports outside its tests. Every cycle reads
// "now" once from the injected clock and passes it down, so tests can run
// days of office time in milliseconds. The order of effects is what makes
// crashes harmless: existing rows are updated first (idempotently), then
// new rows, ledger, email intents and cursor land in one atomic write,
// and only then are emails drafted and sent, each step recorded.
package sync
