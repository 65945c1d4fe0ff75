package fake_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"
	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"

	"kopi/google/fake"
)

// bundle is what a conformance test needs: the fake and the official
// clients pointed at it over loopback HTTP.
type bundle struct {
	srv    *fake.Server
	ctx    context.Context
	forms  *forms.Service
	sheets *sheets.Service
	gmail  *gmail.Service
}

func setup(t *testing.T) *bundle {
	t.Helper()
	return setupWith(t, fake.Options{})
}

func setupWith(t *testing.T, opts fake.Options) *bundle {
	t.Helper()
	srv, err := fake.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	ctx := context.Background()
	clientOpts := []option.ClientOption{
		option.WithEndpoint(srv.URL() + "/"),
		option.WithHTTPClient(srv.HTTPClient()),
	}
	b := &bundle{srv: srv, ctx: ctx}
	if b.forms, err = forms.NewService(ctx, clientOpts...); err != nil {
		t.Fatal(err)
	}
	if b.sheets, err = sheets.NewService(ctx, clientOpts...); err != nil {
		t.Fatal(err)
	}
	if b.gmail, err = gmail.NewService(ctx, clientOpts...); err != nil {
		t.Fatal(err)
	}
	return b
}

func contextWithTimeout(b *bundle, ms int) (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, time.Duration(ms)*time.Millisecond)
}
