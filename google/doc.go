// Package google holds kopi's adapters over Google's official Go clients
// (google.golang.org/api forms/v1, sheets/v4 and gmail/v1): it builds the
// clients (NewServices), names the OAuth scopes kopi asks for (Scopes), and
// runs every call through one bounded retry loop (Retrier) that decides,
// where an error is born, whether it is retryable, permanent or ambiguous.
// It is the only package that knows Google's wire types; it turns them into
// rules types and implements the small interfaces sync declares, without
// importing sync.
//
// The retry rule that keeps SPEC §5's exactly-once invariants is that a
// non-idempotent call (append a row, send an email) is never repeated after
// a failure that may have been applied: the loop returns *AmbiguousError
// and the caller consults its idempotency ledger. Tests and `kopi demo`
// point the same clients at the in-memory Workspace in google/fake over
// real HTTP (Options.Endpoint), never at a mock of this package.
package google
