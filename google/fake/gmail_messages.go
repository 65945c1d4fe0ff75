package fake

import (
	"encoding/base64"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/emersion/go-message/mail"
	"google.golang.org/api/gmail/v1"
)

// storeOptions say how a message enters the mailbox.
type storeOptions struct {
	labels []string
	// threadID is the caller's requested thread (Message.threadId).
	threadID string
	// autoThread joins the thread of a referenced message without a
	// threadId, as Gmail does for mail that arrives by SMTP.
	autoThread bool
	// outgoing stamps the message as Gmail's submission does: Gmail's own
	// Message-ID, the account as From, a Date when missing.
	outgoing bool
}

// store adds a message to the mailbox and returns it.
func (s *Server) store(mb *mailbox, raw []byte, o storeOptions) (*gmailMessage, error) {
	if o.outgoing {
		raw = s.stampOutgoing(raw)
	} else {
		raw = toCRLF(raw)
	}
	pm := parseMail(raw)
	threadID := ""
	if o.threadID != "" {
		if !isHexID(o.threadID) || !mb.hasThread(o.threadID) {
			return nil, invalidArgument("Invalid thread_id value")
		}
		// Google documents three conditions for joining a thread: the
		// threadId, RFC 2822 References/In-Reply-To, and a matching
		// Subject. Gmail starts a new thread when the headers do not fit.
		if mb.threadAccepts(o.threadID, pm) {
			threadID = o.threadID
		}
	} else if o.autoThread {
		threadID = mb.referencedThread(pm)
	}
	now := s.now()
	m := &gmailMessage{
		id:           mb.newMessageID(now.UnixMilli()),
		labels:       slices.Clone(o.labels),
		raw:          raw,
		internalDate: now.UnixMilli(),
		parsed:       pm,
	}
	m.seq = mb.seq
	m.threadID = threadID
	if m.threadID == "" {
		m.threadID = m.id
	}
	m.historyID = mb.bump()
	mb.messages[m.id] = m
	return m, nil
}

// stampOutgoing rewrites a submitted message the way Gmail's submission
// does: any client Message-ID is replaced by Gmail's own, a From that is
// not the account (Gmail has no send-as aliases here) becomes the
// account, keeping the display name, and a missing Date or MIME-Version
// is added. The sender's stored copy keeps its Bcc header, as in Gmail's
// Sent folder.
func (s *Server) stampOutgoing(raw []byte) []byte {
	set := map[string]string{
		"message-id": "<CA" + s.randomID(44, alphaNum+"+_-") + "@mail.gmail.com>",
	}
	order := []string{"Message-ID"}
	raw = toCRLF(raw)
	was := addressList(readHeader(raw), "From")
	if len(was) != 1 || !strings.EqualFold(was[0].Address, s.opts.Account) {
		from := &mail.Address{Address: s.opts.Account}
		if len(was) == 1 {
			from.Name = was[0].Name
		}
		set["from"] = from.String()
		order = append([]string{"From"}, order...)
	}
	add := [][2]string{
		{"MIME-Version", "1.0"},
		{"Date", s.now().Format("Mon, 2 Jan 2006 15:04:05 -0700")},
	}
	return rewriteHeader(raw, set, order, add)
}

func isHexID(id string) bool {
	if id == "" || len(id) > 16 {
		return false
	}
	for _, r := range id {
		if !strings.ContainsRune(hexDigits, r) {
			return false
		}
	}
	return true
}

func (mb *mailbox) hasThread(id string) bool {
	for _, m := range mb.messages {
		if m.threadID == id {
			return true
		}
	}
	return false
}

// threadMessages lists a thread's messages, oldest first.
func (mb *mailbox) threadMessages(id string) []*gmailMessage {
	var out []*gmailMessage
	for _, m := range mb.messages {
		if m.threadID == id {
			out = append(out, m)
		}
	}
	sortOldestFirst(out)
	return out
}

// threadAccepts reports whether pm may join the thread: it references a
// message of the thread by Message-ID and its subject matches.
func (mb *mailbox) threadAccepts(threadID string, pm *parsedMail) bool {
	for _, m := range mb.threadMessages(threadID) {
		if m.parsed.messageID != "" && slices.Contains(pm.refs, m.parsed.messageID) &&
			baseSubject(m.parsed.subject) == baseSubject(pm.subject) {
			return true
		}
	}
	return false
}

// referencedThread finds the thread of a message pm references whose
// subject matches, or "".
func (mb *mailbox) referencedThread(pm *parsedMail) string {
	for _, m := range mb.messages {
		if m.parsed.messageID != "" && slices.Contains(pm.refs, m.parsed.messageID) &&
			baseSubject(m.parsed.subject) == baseSubject(pm.subject) {
			return m.threadID
		}
	}
	return ""
}

// baseSubject strips reply and forward prefixes and case, so that
// "Re: Tiket 12" threads with "Tiket 12".
func baseSubject(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for {
		trimmed := s
		for _, p := range []string{"re:", "fwd:", "fw:", "aw:", "wg:", "balas:"} {
			trimmed = strings.TrimSpace(strings.TrimPrefix(trimmed, p))
		}
		if trimmed == s {
			return spaceRE.ReplaceAllString(s, " ")
		}
		s = trimmed
	}
}

func sortOldestFirst(ms []*gmailMessage) {
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].internalDate != ms[j].internalDate {
			return ms[i].internalDate < ms[j].internalDate
		}
		return ms[i].seq < ms[j].seq
	})
}

func sortNewestFirst(ms []*gmailMessage) {
	sortOldestFirst(ms)
	slices.Reverse(ms)
}

// rawFromCall extracts the RFC 822 message of a send, insert or draft
// call: the uploaded media on /upload/ paths, else message.raw in the
// JSON body. field names the raw field in error messages.
func rawFromCall(c *call, raw, field string) ([]byte, error) {
	if c.upload && len(c.media) > 0 {
		return checkMessageSize(c.media)
	}
	if raw == "" {
		return nil, invalidArgument("'raw' RFC822 payload message string or uploading message via /upload/* URL required")
	}
	b, err := decodeRaw(raw)
	if err != nil {
		shown := raw
		if len(shown) > 40 {
			shown = shown[:40]
		}
		return nil, invalidArgument("Invalid value at '%s' (TYPE_BYTES), Base64 decoding failed for %q", field, shown)
	}
	if len(b) == 0 {
		return nil, invalidArgument("'raw' RFC822 payload message string or uploading message via /upload/* URL required")
	}
	return checkMessageSize(b)
}

// maxMessageBytes is Gmail's ceiling on one message, attachments
// included: the discovery document's mediaUpload maxSize "36700160"
// (35 MB) for messages.send, messages.insert and drafts.
const maxMessageBytes = 36700160

// checkMessageSize refuses a message over Gmail's size limit whole,
// never cutting it.
func checkMessageSize(b []byte) ([]byte, error) {
	if len(b) > maxMessageBytes {
		return nil, invalidArgument("Message too large: %d bytes; the limit is %d bytes (35 MB).", len(b), maxMessageBytes)
	}
	return b, nil
}

// sendRaw sends a message from the mailbox: the recipient checks, the
// stamped copy labelled SENT (and INBOX/UNREAD when the account is a
// recipient, as Gmail files mail to oneself), and the sent record.
func (s *Server) sendRaw(mb *mailbox, raw []byte, threadID string) (*gmailMessage, error) {
	crlf := toCRLF(raw)
	if err := checkRecipients(crlf, true); err != nil {
		return nil, err
	}
	labels := []string{"SENT"}
	h := readHeader(crlf)
	for _, name := range []string{"To", "Cc", "Bcc"} {
		for _, a := range addressList(h, name) {
			if strings.EqualFold(a.Address, mb.address) {
				labels = []string{"UNREAD", "SENT", "INBOX"}
			}
		}
	}
	m, err := s.store(mb, raw, storeOptions{labels: labels, threadID: threadID, outgoing: true})
	if err != nil {
		return nil, err
	}
	mb.sent = append(mb.sent, SentMessage{
		ID:        m.id,
		ThreadID:  m.threadID,
		Raw:       slices.Clone(m.raw),
		MessageID: m.parsed.messageID,
		Subject:   m.parsed.subject,
		To:        addressesOf(m.parsed.to),
		Cc:        addressesOf(m.parsed.cc),
		Bcc:       addressesOf(m.parsed.bcc),
		Text:      m.parsed.text,
	})
	return m, nil
}

// messageRequest reads a messages.send or messages.insert request: the
// mailbox, the Message metadata and the raw RFC 822 bytes (from the JSON
// raw field or the upload).
func (s *Server) messageRequest(c *call) (*mailbox, *gmail.Message, []byte, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, nil, nil, err
	}
	var req gmail.Message
	if err := c.decode(&req); err != nil {
		return nil, nil, nil, err
	}
	raw, err := rawFromCall(c, req.Raw, "message.raw")
	if err != nil {
		return nil, nil, nil, err
	}
	return mb, &req, raw, nil
}

// gmailSend serves messages.send, by JSON {raw, threadId} or by media
// upload (uploadType=multipart: JSON metadata + message/rfc822;
// uploadType=media: the message alone). Gmail answers with the new
// message's id, threadId and labelIds only.
func (s *Server) gmailSend(c *call) (any, error) {
	mb, req, raw, err := s.messageRequest(c)
	if err != nil {
		return nil, err
	}
	m, err := s.sendRaw(mb, raw, req.ThreadId)
	if err != nil {
		return nil, err
	}
	return &gmail.Message{Id: m.id, ThreadId: m.threadID, LabelIds: m.labels}, nil
}

// gmailInsert serves messages.insert: the message goes into the mailbox
// as given (no sending, no Message-ID rewrite) with the requested labels.
func (s *Server) gmailInsert(c *call) (any, error) {
	mb, req, raw, err := s.messageRequest(c)
	if err != nil {
		return nil, err
	}
	m, err := s.store(mb, raw, storeOptions{labels: req.LabelIds, threadID: req.ThreadId})
	if err != nil {
		return nil, err
	}
	return &gmail.Message{Id: m.id, ThreadId: m.threadID, LabelIds: m.labels}, nil
}

// findMessage resolves a message id: Gmail answers 400 "Invalid id value"
// for an id that is not hexadecimal and 404 for an unknown one.
func (mb *mailbox) findMessage(id string) (*gmailMessage, error) {
	if !isHexID(id) {
		return nil, invalidArgument("Invalid id value")
	}
	m := mb.messages[id]
	if m == nil {
		return nil, notFound("Requested entity was not found.")
	}
	return m, nil
}

func (s *Server) gmailGet(c *call) (any, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, err
	}
	m, err := mb.findMessage(c.params["id"])
	if err != nil {
		return nil, err
	}
	return m.render(c.query.Get("format"), c.query["metadataHeaders"]), nil
}

// render shapes a message for a format: minimal (ids, labels, snippet,
// sizes, dates), metadata (plus the payload's headers, only those named
// in metadataHeaders when given), full (plus the parsed MIME tree) or
// raw (plus the whole message as base64url).
func (m *gmailMessage) render(format string, metadataHeaders []string) *gmail.Message {
	out := &gmail.Message{
		Id:           m.id,
		ThreadId:     m.threadID,
		LabelIds:     slices.Clone(m.labels),
		Snippet:      m.parsed.snippet,
		SizeEstimate: int64(len(m.raw)),
		HistoryId:    m.historyID,
		InternalDate: m.internalDate,
	}
	switch format {
	case "minimal":
	case "raw":
		out.Raw = base64.URLEncoding.EncodeToString(m.raw)
	case "metadata":
		root := m.parsed.root
		p := &gmail.MessagePart{MimeType: root.mimeType}
		for _, h := range root.headers {
			if len(metadataHeaders) == 0 || slices.ContainsFunc(metadataHeaders, func(n string) bool { return strings.EqualFold(n, h.Name) }) {
				p.Headers = append(p.Headers, h)
			}
		}
		out.Payload = p
	default: // "full"
		out.Payload = m.parsed.root.payload()
	}
	return out
}

// listQuery is the parsed filter of a list call.
type listQuery struct {
	q                *queryExpr
	labelIDs         []string
	includeSpamTrash bool
}

func (s *Server) parseListQuery(c *call) (*listQuery, error) {
	lq := &listQuery{labelIDs: c.query["labelIds"], includeSpamTrash: c.query.Get("includeSpamTrash") == "true"}
	q, err := parseQuery(c.query.Get("q"))
	if err != nil {
		return nil, err
	}
	lq.q = q
	return lq, nil
}

// matches applies labelIds (all must be present), the spam/trash rule
// and q to a message.
func (s *Server) matches(mb *mailbox, lq *listQuery, m *gmailMessage) bool {
	for _, l := range lq.labelIDs {
		if !slices.ContainsFunc(m.labels, func(x string) bool { return strings.EqualFold(x, l) }) {
			return false
		}
	}
	if !lq.includeSpamTrash && !lq.q.reachesSpamTrash && (slices.Contains(m.labels, "SPAM") || slices.Contains(m.labels, "TRASH")) {
		return false
	}
	return lq.q.match(&matchContext{m: m, account: mb.address, now: s.now()})
}

// page picks the slice of n results a list call asks for. Page tokens
// are opaque to callers; here they carry the next offset.
func page(c *call, n int) (start, end int, next string, err error) {
	size := 100
	if v := c.query.Get("maxResults"); v != "" {
		size, err = strconv.Atoi(v)
		if err != nil || size < 0 {
			return 0, 0, "", invalidArgument("Invalid maxResults value %q", v)
		}
		if size == 0 {
			size = 100
		}
		if size > 500 {
			size = 500
		}
	}
	if tok := c.query.Get("pageToken"); tok != "" {
		start, err = strconv.Atoi(tok)
		if err != nil || start < 0 {
			return 0, 0, "", invalidArgument("Invalid pageToken")
		}
	}
	start = min(start, n)
	end = min(start+size, n)
	if end < n {
		next = strconv.Itoa(end)
	}
	return start, end, next, nil
}

// search runs a list request's query (q, labelIds, includeSpamTrash)
// over the candidate messages of the request's mailbox — every message
// when candidates is nil — and returns the matches newest first.
func (s *Server) search(c *call, candidates func(*mailbox) []*gmailMessage) (*mailbox, []*gmailMessage, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, nil, err
	}
	lq, err := s.parseListQuery(c)
	if err != nil {
		return nil, nil, err
	}
	var pool []*gmailMessage
	if candidates != nil {
		pool = candidates(mb)
	} else {
		for _, m := range mb.messages {
			pool = append(pool, m)
		}
	}
	var hits []*gmailMessage
	for _, m := range pool {
		if s.matches(mb, lq, m) {
			hits = append(hits, m)
		}
	}
	sortNewestFirst(hits)
	return mb, hits, nil
}

func (s *Server) gmailList(c *call) (any, error) {
	_, hits, err := s.search(c, nil)
	if err != nil {
		return nil, err
	}
	start, end, next, err := page(c, len(hits))
	if err != nil {
		return nil, err
	}
	out := &gmail.ListMessagesResponse{NextPageToken: next, ResultSizeEstimate: int64(len(hits))}
	for _, m := range hits[start:end] {
		out.Messages = append(out.Messages, &gmail.Message{Id: m.id, ThreadId: m.threadID})
	}
	return out, nil
}

func (s *Server) gmailThreadGet(c *call) (any, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, err
	}
	id := c.params["id"]
	if !isHexID(id) {
		return nil, invalidArgument("Invalid id value")
	}
	msgs := mb.threadMessages(id)
	if len(msgs) == 0 {
		return nil, notFound("Requested entity was not found.")
	}
	t := &gmail.Thread{Id: id}
	for _, m := range msgs {
		t.Messages = append(t.Messages, m.render(c.query.Get("format"), c.query["metadataHeaders"]))
		t.HistoryId = max(t.HistoryId, m.historyID)
	}
	return t, nil
}

// gmailThreadList lists threads with at least one matching message,
// the thread with the newest matching message first.
func (s *Server) gmailThreadList(c *call) (any, error) {
	mb, hits, err := s.search(c, nil)
	if err != nil {
		return nil, err
	}
	var ids []string
	seen := map[string]bool{}
	for _, m := range hits {
		if !seen[m.threadID] {
			seen[m.threadID] = true
			ids = append(ids, m.threadID)
		}
	}
	start, end, next, err := page(c, len(ids))
	if err != nil {
		return nil, err
	}
	out := &gmail.ListThreadsResponse{NextPageToken: next, ResultSizeEstimate: int64(len(ids))}
	for _, id := range ids[start:end] {
		msgs := mb.threadMessages(id)
		last := msgs[len(msgs)-1]
		t := &gmail.Thread{Id: id, Snippet: last.parsed.snippet}
		for _, m := range msgs {
			t.HistoryId = max(t.HistoryId, m.historyID)
		}
		out.Threads = append(out.Threads, t)
	}
	return out, nil
}

// gmailTrash serves messages.trash: the message gets the TRASH label and
// leaves the default list results.
func (s *Server) gmailTrash(c *call) (any, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, err
	}
	m, err := mb.findMessage(c.params["id"])
	if err != nil {
		return nil, err
	}
	m.labels = slices.DeleteFunc(m.labels, func(l string) bool { return l == "INBOX" })
	if !slices.Contains(m.labels, "TRASH") {
		m.labels = append(m.labels, "TRASH")
	}
	m.historyID = mb.bump()
	return &gmail.Message{Id: m.id, ThreadId: m.threadID, LabelIds: slices.Clone(m.labels)}, nil
}

// gmailDelete serves messages.delete: permanent removal, 204. The sent
// record keeps what was sent.
func (s *Server) gmailDelete(c *call) (any, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, err
	}
	m, err := mb.findMessage(c.params["id"])
	if err != nil {
		return nil, err
	}
	delete(mb.messages, m.id)
	for id, d := range mb.drafts {
		if d.messageID == m.id {
			delete(mb.drafts, id)
		}
	}
	mb.bump()
	return noContent{}, nil
}
