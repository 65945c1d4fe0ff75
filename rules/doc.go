// Package rules is kopi's domain: the office's configuration and its
// validation, the consultation case and its statuses, completeness of a
// Form submission, assignment of a consultant by topic, ticket numbers,
// the working-time calendar (office hours, Ramadan hours, national
// holidays and cuti bersama) with the SOP's time standards, deadlines
// and reminder decisions. Everything here is a pure decision: the
// google package decodes Forms and Sheets data into these types, the
// sync package asks these functions what to do, then acts.
//
// The package does no I/O (the 2026 holiday table is embedded in the
// binary with a go:embed directive; other tables are read by the caller
// and handed to ParseHolidayCSV), never reads the clock (every "now" is
// a parameter) and knows no Google type, so every rule is tested with
// plain table tests. Everything a person reads — configuration problems, missing
// items, assignment reasons, reminder labels — is Indonesian and lives
// in messages.go; identifiers and comments are English.
package rules
