package sync_test

import (
	"errors"
	"io"
	"net/http"
	stdsync "sync"
)

var errCrashed = errors.New("simulated crash: the daemon process is gone")

// crashTransport sits between the daemon and the fake. It counts the
// daemon's HTTP calls and can make the process "die": after call k every
// call fails (nothing more reaches Google), or call k is applied by the
// fake but its response is lost before the daemon sees it.
type crashTransport struct {
	base http.RoundTripper

	mu       stdsync.Mutex
	calls    int
	dieAfter int // >0: calls after this index fail
	dropAt   int // >0: this call is applied, its response lost, then death
}

func (c *crashTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.calls++
	n, dieAfter, dropAt := c.calls, c.dieAfter, c.dropAt
	c.mu.Unlock()
	if (dieAfter > 0 && n > dieAfter) || (dropAt > 0 && n > dropAt) {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, errCrashed
	}
	resp, err := c.base.RoundTrip(req)
	if dropAt > 0 && n == dropAt && err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return nil, errCrashed
	}
	return resp, err
}

// arm resets the counter and sets the crash point.
func (c *crashTransport) arm(dieAfter, dropAt int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls, c.dieAfter, c.dropAt = 0, dieAfter, dropAt
}

// count is the number of calls since arm.
func (c *crashTransport) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}
