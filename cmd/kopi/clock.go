package main

import (
	"context"
	"sync"
	"time"
)

// simClock is the demo's simulated office clock, shared by the fake
// Workspace, the retry loop and the cycle engine: the demo moves it by
// hand, so a working day passes in a moment and nothing really sleeps.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the simulated time.
func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t; the clock never goes back.
func (c *simClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

// Sleep lets the retry loop wait without real time passing.
func (c *simClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}
