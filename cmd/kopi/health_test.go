package main

import (
	"bytes"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"kopi/google"
	ksync "kopi/sync"
)

// TestStatusPageExplainsAFailedCycle: a failed cycle is listed with its
// class's cause and fix, in the office's zone, and idle cycles collapse.
func TestStatusPageExplainsAFailedCycle(t *testing.T) {
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) // 09:00 WIB
	h := &health{now: func() time.Time { return now }, loc: wib, failAfter: 3, staleAfter: time.Hour, started: now}
	h.succeeded(now, time.Second, &ksync.Report{NewCases: 1})
	h.succeeded(now.Add(time.Minute), time.Second, &ksync.Report{})
	h.succeeded(now.Add(2*time.Minute), time.Second, &ksync.Report{})
	refused := &google.ExhaustedError{Method: "forms.forms.responses.list", Attempts: 2,
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	h.failed(now.Add(3*time.Minute), explain(msgCycle, refused, nil))
	v := h.view()
	if len(v.Cycles) != 3 {
		t.Fatalf("%d cycles listed, want 3 (busy, newest idle, failed): %+v", len(v.Cycles), v.Cycles)
	}
	if c := v.Cycles[0]; c.OK || !strings.Contains(c.Problem, "tidak bisa menghubungi Google") || !strings.Contains(c.Problem, "cara memperbaiki") {
		t.Errorf("failed cycle shown as %+v", c)
	}
	if v.Cycles[0].At != "2026-03-02 09:03:00 WIB (+07:00)" {
		t.Errorf("time not in WIB: %q", v.Cycles[0].At)
	}
	var b bytes.Buffer
	if err := statusPage.Execute(&b, v); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "tidak bisa menghubungi Google") {
		t.Errorf("page lacks the failure:\n%s", b.String())
	}
}
