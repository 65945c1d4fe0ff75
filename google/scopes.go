package google

// The OAuth scopes kopi asks for, each the narrowest that allows what kopi
// does (UU 27/2022 asks for least privilege). `kopi auth` requests Scopes;
// `kopi check` compares them with what the token grants.
const (
	// ScopeFormsResponsesReadonly reads the intake and survey forms'
	// responses (forms.responses.list/get) and nothing else.
	ScopeFormsResponsesReadonly = "https://www.googleapis.com/auth/forms.responses.readonly"
	// ScopeFormsBody creates the survey form (forms.create, batchUpdate,
	// setPublishSettings); it also covers forms.get of the intake form,
	// so forms.body.readonly would be redundant.
	ScopeFormsBody = "https://www.googleapis.com/auth/forms.body"
	// ScopeSpreadsheets reads and writes the tracking sheet, which the
	// office may have created itself; drive.file would only reach files
	// kopi created or the user picked.
	ScopeSpreadsheets = "https://www.googleapis.com/auth/spreadsheets"
	// ScopeGmailCompose creates, reads, sends and deletes drafts, which
	// the exactly-once email design needs (drafts.create records intent,
	// drafts.send is the effect, drafts.get after a crash tells whether
	// the draft was sent: a sent draft is gone). It also allows
	// messages.send, so gmail.send is not requested.
	ScopeGmailCompose = "https://www.googleapis.com/auth/gmail.compose"
	// ScopeGmailMetadata reads message headers and labels, never bodies
	// or attachments. kopi reads one header with it: the Message-ID Gmail
	// gave the sent receipt (Gmail replaces the one kopi writes), so the
	// answer can carry In-Reply-To/References and thread under the
	// receipt in every mail client, not only in Gmail (RFC 5322 §3.6.4;
	// Gmail itself requires them to honour threadId). gmail.compose does
	// not cover messages.get; gmail.readonly would expose every body.
	//
	// Google refuses the q parameter to tokens holding gmail.metadata
	// ("Metadata scope does not support 'q' parameter", issuetracker
	// 115621456), so kopi never searches: after a crash it lists its
	// drafts and reads their X-Kopi-Ref header (Gmail.KopiDrafts).
	ScopeGmailMetadata = "https://www.googleapis.com/auth/gmail.metadata"
)

// Scopes returns every scope kopi requests, in a fresh slice.
//
// Not requested: gmail.send (implied by gmail.compose); gmail.readonly
// (would expose the whole mailbox only to search the Sent folder, which
// drafts.get makes unnecessary); drive and drive.readonly (far broader than one sheet and two forms).
//
// gmail.compose is a "restricted" scope in Google's classification
// (gmail.send is only "sensitive"): an OAuth client published as External
// needs Google's verification, while an Internal client of the office's
// Workspace domain, or one in testing with the office account as test
// user, does not.
func Scopes() []string {
	return []string{
		ScopeFormsResponsesReadonly,
		ScopeFormsBody,
		ScopeSpreadsheets,
		ScopeGmailCompose,
		ScopeGmailMetadata,
	}
}
