package fake

import "testing"

// TestMessageSizeBoundary: 36,700,160 bytes (35 MB) is accepted, one
// byte more is refused with 400.
func TestMessageSizeBoundary(t *testing.T) {
	if _, err := checkMessageSize(make([]byte, maxMessageBytes)); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	_, err := checkMessageSize(make([]byte, maxMessageBytes+1))
	if e, ok := err.(*APIError); !ok || e.Code != 400 {
		t.Errorf("over the limit: %v", err)
	}
}
