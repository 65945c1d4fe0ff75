package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"

	ksync "kopi/sync"
)

// pushJob is the Pushgateway job of every office's `kopi once`.
const pushJob = "kopi"

// pushCycle records one `kopi once` cycle and pushes the metrics to the
// Pushgateway at url, grouped by job "kopi" and instance = the office's
// spreadsheet ID (it names the office and holds no personal data; a
// job's pod name would change every run and leave a group behind each
// time).
//
// A successful cycle replaces the office's group (PUT) and sets
// kopi_last_success_timestamp_seconds, the gauge to alert on for a batch
// job; a failed cycle only adds its series (POST), so the last success
// pushed earlier stays. A failed push is logged, not returned: the
// cycle's work is done and saved, and the alert on a stale last success
// catches a Pushgateway that stays unreachable.
func pushCycle(ctx context.Context, log *slog.Logger, url, instance string, m *metrics, now time.Time, took time.Duration, rep *ksync.Report, cycleErr error) {
	p := push.New(url, pushJob).Grouping("instance", instance).Gatherer(m.reg)
	var err error
	if cycleErr != nil {
		m.cycle("gagal", took, nil)
		err = p.AddContext(ctx)
	} else {
		m.cycle("berhasil", took, rep)
		last := prometheus.NewGauge(prometheus.GaugeOpts{Name: "kopi_last_success_timestamp_seconds",
			Help: "Waktu siklus terakhir yang berhasil (detik Unix; 0: belum ada)."})
		last.Set(unix(now))
		err = p.Collector(last).PushContext(ctx)
	}
	if err != nil {
		log.Warn(msgPushFailed, "galat", err)
	}
}
