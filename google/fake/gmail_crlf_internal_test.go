package fake

import (
	"bytes"
	"testing"
)

// toCRLFByByte is toCRLF as it was written first, one byte at a time:
// the reference the chunked version must match.
func toCRLFByByte(b []byte) []byte {
	var out bytes.Buffer
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\r':
			out.WriteString("\r\n")
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		case '\n':
			out.WriteString("\r\n")
		default:
			out.WriteByte(b[i])
		}
	}
	return out.Bytes()
}

func FuzzToCRLF(f *testing.F) {
	for _, s := range []string{"", "a", "\r", "\n", "\r\n", "\n\r", "\r\r\n\n", "a\nb\rc\r\nd", "To: x\n\nbody\r", "x\r\n\r\n\n\r\ry", "no line ending"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in := bytes.Clone(b)
		got, want := toCRLF(b), toCRLFByByte(b)
		if !bytes.Equal(got, want) {
			t.Fatalf("toCRLF(%q) = %q, want %q", b, got, want)
		}
		if !bytes.Equal(b, in) {
			t.Fatalf("toCRLF changed its input: %q, was %q", b, in)
		}
		if len(got) > 0 && len(b) > 0 && &got[0] == &b[0] {
			t.Fatalf("toCRLF(%q) returned its input, not a copy", b)
		}
	})
}
