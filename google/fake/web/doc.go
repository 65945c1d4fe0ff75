// Package web is a browser view of the fake Workspace's state, in
// Indonesian: the Forms it holds, rendered from their items and
// answerable as a respondent; the spreadsheets' tabs as a grid whose cells
// can be typed into; and the mailbox's sent mail and drafts, grouped by
// thread. It is what `kopi demo --web` and `kopi fake-workspace --ui`
// serve, so an office can look at and try the SOP without a Google
// project.
//
// The view reads and writes only through the fake's exported helpers —
// a submitted form goes through fake.Server.SubmitResponse, the path the
// control surface uses; a typed cell is a USER_ENTERED write through
// fake.Server.SetValues, as if typed in the Sheets UI — and imports nothing
// of kopi but google/fake. Pages update live by polling; an optional hook
// lets the demo advance its simulated clock from the page.
package web
