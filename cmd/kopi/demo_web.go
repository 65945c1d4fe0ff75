package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"kopi/google/fake"
	"kopi/google/fake/web"
	"kopi/rules"
	ksync "kopi/sync"
)

// serveWeb serves the web view of the demo's fake Workspace on a loopback
// address until ctx ends. Its clock buttons move the demo's simulated
// clock and run the daemon's cycles on the way, as the scripted days do.
// serving, when not nil (tests), learns the URL once the view listens.
func (d *demoRun) serveWeb(ctx context.Context, eng *ksync.Engine, cal *rules.Calendar, addr string, serving func(url string, d *demoRun)) error {
	h := web.New(d.srv, web.Options{
		Now:      d.clk.Now,
		Location: cal.Location(),
		Advance: func(ctx context.Context, step web.Step) ([]string, error) {
			return d.advance(ctx, eng, cal, step)
		},
	})
	url, stop, err := serveView(addr, h)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(d.out, "\n"+msgDemoWebURL+"\n%s\n", url, msgDemoWebClock)
	if serving != nil {
		serving(url, d)
	}
	<-ctx.Done()
	return nil
}

// serveView listens on addr (loopback only) and serves h; stop shuts the
// server down.
func serveView(addr string, h http.Handler) (url string, stop func(), err error) {
	if err := loopbackAddr(addr); err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf(msgWebListen, addr, err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String() + "/", stop, nil
}

// loopbackAddr refuses a listen address that is not loopback: the view
// has no password and lets anyone who reaches it edit the Workspace.
func loopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf(msgWebLoopback, addr)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf(msgWebLoopback, addr)
}

// advance moves the simulated clock by a step and runs the cycles the
// scripted demo would run on the way: one every demoEvery while the
// office is open, and one at the next opening (the digest) for
// web.StepOpening. It returns one line per cycle that did something and
// per email sent.
func (d *demoRun) advance(ctx context.Context, eng *ksync.Engine, cal *rules.Calendar, step web.Step) ([]string, error) {
	now := d.clk.Now()
	var ticks []time.Time
	switch step {
	case web.StepCycle:
		ticks = []time.Time{now.Add(demoEvery)}
	case web.StepHour:
		for t := now.Add(demoEvery); !t.After(now.Add(time.Hour)); t = t.Add(demoEvery) {
			ticks = append(ticks, t)
		}
	case web.StepOpening:
		open := openingSchedule{cal: cal}.Next(now)
		if open.IsZero() {
			return nil, errors.New(msgWebNoOpening)
		}
		for t := now.Add(demoEvery); t.Before(open); t = t.Add(demoEvery) {
			if cal.IsOpen(t) {
				ticks = append(ticks, t)
			}
		}
		ticks = append(ticks, open)
	default:
		return nil, fmt.Errorf("unknown clock step %q", step)
	}
	var lines []string
	idle := 0
	for _, t := range ticks {
		d.clk.Set(t)
		before := d.srv.TotalCalls()
		rep, err := eng.RunCycle(ctx)
		if err != nil {
			return lines, fmt.Errorf(msgDemoCycle, t.In(cal.Location()).Format("02/01 15:04"), err)
		}
		calls := d.srv.TotalCalls() - before
		sent := d.srv.Sent("me")
		fresh := sent[min(len(d.sent), len(sent)):]
		for _, m := range fresh {
			d.sent = append(d.sent, sentAt{at: t, msg: m})
		}
		hm := t.In(cal.Location()).Format("02/01 15:04")
		if !cycleDidWork(rep) && len(fresh) == 0 {
			idle++
			continue
		}
		lines = append(lines, fmt.Sprintf("%s %s · %d panggilan API", hm, compactSummary(rep), calls))
		for _, m := range fresh {
			lines = append(lines, fmt.Sprintf(msgWebMail, hm, strings.Join(m.To, ", "), m.Subject))
		}
	}
	if idle > 0 {
		lines = append(lines, fmt.Sprintf(msgWebIdle, idle))
	}
	return lines, nil
}

// serveFakeUI serves the web view of a standalone fake Workspace (kopi
// fake-workspace --ui): no simulated clock, the daemon runs elsewhere.
func serveFakeUI(env *environment, srv *fake.Server, addr string) (stop func(), err error) {
	url, stop, err := serveView(addr, web.New(srv, web.Options{}))
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(env.stdout, msgDemoWebURL+"\n", url)
	return stop, nil
}
