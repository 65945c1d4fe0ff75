package webtest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

func encode(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckNotBlank(t *testing.T) {
	white := image.NewRGBA(image.Rect(0, 0, 100, 100))
	for i := range white.Pix {
		white.Pix[i] = 0xff
	}
	if err := CheckNotBlank(encode(t, white)); err == nil || !strings.Contains(err.Error(), "colours") {
		t.Errorf("white page: %v, want a blank error", err)
	}
	// Many colours, but only a thin line of them: still blank.
	line := image.NewRGBA(image.Rect(0, 0, 100, 100))
	copy(line.Pix, white.Pix)
	for x := 0; x < 100; x++ {
		line.Set(x, 0, color.RGBA{uint8(x), uint8(2 * x), 0, 0xff})
	}
	if err := CheckNotBlank(encode(t, line)); err == nil || !strings.Contains(err.Error(), "not white") {
		t.Errorf("near-white page: %v, want a blank error", err)
	}
	// A page with text-like content in many shades.
	page := image.NewRGBA(image.Rect(0, 0, 100, 100))
	copy(page.Pix, white.Pix)
	for y := 10; y < 40; y++ {
		for x := 0; x < 100; x++ {
			page.Set(x, y, color.RGBA{uint8(x * 2), uint8(y * 5), 0x80, 0xff})
		}
	}
	if err := CheckNotBlank(encode(t, page)); err != nil {
		t.Errorf("page with content: %v", err)
	}
	if err := CheckNotBlank([]byte("not a png")); err == nil {
		t.Error("garbage: want a decode error")
	}
}
