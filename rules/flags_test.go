package rules

import (
	"testing"
	"time"
)

// TestFlagsRenderAndAttention: each flag renders its Indonesian line,
// Notes joins them in order, and Attention picks the last flag the
// admin must act on (an unassigned case has its own digest list).
func TestFlagsRenderAndAttention(t *testing.T) {
	at := time.Date(2026, 4, 13, 2, 5, 0, 0, time.UTC)
	flags := []Flag{
		{Kind: FlagUnassigned, Detail: "semua konsuler Audit sedang cuti"},
		{Kind: FlagDeliveryFailed, Detail: "jawaban", Reason: "alamat tidak sah"},
		{Kind: FlagEditIgnored, At: at, Status: StatusDitugaskan},
	}
	want := "Belum ditugaskan: semua konsuler Audit sedang cuti\n" +
		"Email jawaban tidak terkirim: alamat tidak sah\n" +
		"Pemohon mengubah jawaban formulir pada 2026-04-13 09:05; perubahan tidak diterapkan karena kasus sudah berstatus Ditugaskan."
	if got := Notes(flags, wib); got != want {
		t.Errorf("Notes =\n%s\nwant\n%s", got, want)
	}
	if f, ok := Attention(flags); !ok || f.Kind != FlagDeliveryFailed {
		t.Errorf("Attention = %v, %v; want the failed delivery", f, ok)
	}
	if _, ok := Attention(flags[:1]); ok {
		t.Error("an unassigned case alone needs attention in the attention list")
	}
	if Notes(nil, wib) != "" {
		t.Error("no flag, no notes")
	}
	for _, k := range []FlagKind{FlagAnswerChanged, FlagAnswerEmpty, FlagPhoneInvalid, FlagPhoneNotMobile, FlagDecisionUnknown, FlagNoteMissing} {
		if f := (Flag{Kind: k}); !f.NeedsAttention() || f.Text(wib) == string(k) {
			t.Errorf("flag %s: attention %v, text %q", k, f.NeedsAttention(), f.Text(wib))
		}
	}
}
