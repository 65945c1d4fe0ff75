package fake

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
)

// memTransport serves requests by calling the Server directly, so tests
// need no port. A dropped response surfaces as a transport error, as a
// closed connection does over TCP.
type memTransport struct{ s *Server }

func (t *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	} else {
		r.Body = http.NoBody
	}
	r.RequestURI = req.URL.RequestURI()
	r.RemoteAddr = "127.0.0.1:1"
	w := &memWriter{header: http.Header{}, code: http.StatusOK}
	t.s.ServeHTTP(w, r)
	if w.dropped {
		return nil, fmt.Errorf("fake workspace: connection closed before the response: %w", io.ErrUnexpectedEOF)
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", w.code, http.StatusText(w.code)),
		StatusCode:    w.code,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.header,
		Body:          io.NopCloser(bytes.NewReader(w.buf.Bytes())),
		ContentLength: int64(w.buf.Len()),
		Request:       req,
	}, nil
}

type memWriter struct {
	header  http.Header
	code    int
	wrote   bool
	buf     bytes.Buffer
	dropped bool
}

func (w *memWriter) Header() http.Header { return w.header }
func (w *memWriter) WriteHeader(code int) {
	if !w.wrote {
		w.code, w.wrote = code, true
	}
}
func (w *memWriter) Write(p []byte) (int, error) {
	w.wrote = true
	return w.buf.Write(p)
}
func (w *memWriter) dropConnection() { w.dropped = true }

// splitMultipartRelated splits an uploadType=multipart body into its JSON
// metadata part and its media part.
func splitMultipartRelated(contentType string, body []byte) (meta, media []byte, err error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, nil, err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return nil, nil, fmt.Errorf("content type %q is not multipart", mt)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for i := 0; i < 2; i++ {
		p, err := mr.NextPart()
		if err != nil {
			return nil, nil, fmt.Errorf("part %d: %w", i+1, err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, err
		}
		if i == 0 {
			meta = b
		} else {
			media = b
		}
	}
	return meta, media, nil
}
