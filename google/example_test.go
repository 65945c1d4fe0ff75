package google_test

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/google/fake"
)

// A non-idempotent append refused for quota is retried (Google applied
// nothing); the loop stops on the first permanent error and the caller can
// still reach Google's error.
func ExampleRetrier_Do() {
	srv, _ := fake.New(fake.Options{})
	defer srv.Close()
	_ = srv.AddFault(fake.Fault{Method: "sheets.spreadsheets.values.append", Status: 429, RetryAfter: "0"})
	_ = srv.AddFault(fake.Fault{Method: "sheets.spreadsheets.values.append", Status: 404})

	ctx := context.Background()
	svc, _ := google.NewServices(ctx, google.Options{Endpoint: srv.URL(), HTTPClient: srv.HTTPClient()})
	r := &google.Retrier{}

	row := &sheets.ValueRange{Values: [][]any{{"KOPI-0001"}}}
	err := r.Do(ctx, google.NonIdempotent("sheets.spreadsheets.values.append"), func(ctx context.Context) error {
		_, err := svc.Sheets.Spreadsheets.Values.Append("sheet-id", "Konsultasi", row).
			ValueInputOption("RAW").Context(ctx).Do()
		return err
	})

	var pe *google.PermanentError
	fmt.Println("permanent:", errors.As(err, &pe), "after", pe.Attempts, "attempts")
	fmt.Println("not found:", google.IsNotFound(err))
	fmt.Println("ambiguous:", google.IsAmbiguous(err))
	// Output:
	// permanent: true after 2 attempts
	// not found: true
	// ambiguous: false
}
