package sync_test

import (
	"strings"
	"testing"

	"kopi/google/fake"
)

// fakeVariant is one answer the fake gives where Google's documentation
// is silent; kopi must be correct under each.
type fakeVariant struct {
	name string
	set  func(*fake.Options)
}

// The questions Google leaves open, each with its plausible answers.
var (
	sortVariants = []fakeVariant{
		{"sort-moves-metadata", func(*fake.Options) {}},
		{"sort-leaves-metadata", func(o *fake.Options) { o.SortLeavesMetadata = true }},
	}
	draftIDVariants = []fakeVariant{
		{"send-new-message-id", func(*fake.Options) {}},
		{"send-keeps-message-id", func(o *fake.Options) { o.DraftSendKeepsMessageID = true }},
	}
	quotaVariants = []fakeVariant{
		{"sheets-quota", func(o *fake.Options) { o.SheetsQuota = true }},
	}
	// oneSortVariant is what a test in which nothing sorts runs under:
	// the sort variants cannot differ there (setupUnsorted checks that
	// nothing sorted).
	oneSortVariant = sortVariants[:1]
	// filterMissVariants: a values write by a data filter that matches
	// no range (the row staff deleted) is skipped or fails the request.
	filterMissVariants = []fakeVariant{
		{"filter-miss-skipped", func(*fake.Options) {}},
		{"filter-miss-fails", func(o *fake.Options) { o.DataFilterMissFails = true }},
	}
	// draftIDFilterMissPairs pairs the draft-id variants with the
	// filter-miss ones for tests already run under both draft variants:
	// under each sort variant, each filter-miss answer is met once.
	draftIDFilterMissPairs = []fakeVariant{
		{"send-new-message-id", func(*fake.Options) {}},
		{"send-keeps-message-id+filter-miss-fails", func(o *fake.Options) { o.DraftSendKeepsMessageID, o.DataFilterMissFails = true, true }},
	}
	formsFilterVariants = []fakeVariant{
		{"filter-last-submitted", func(*fake.Options) {}},
		{"filter-create-time", func(o *fake.Options) { o.FormsFilterByCreateTime = true }},
	}
)

// underEach runs fn once per variant, as parallel subtests named after
// them; setup inside fn starts the fake with that variant's options.
func underEach(t *testing.T, vs []fakeVariant, fn func(t *testing.T)) {
	t.Helper()
	for _, v := range vs {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			fn(t)
		})
	}
}

// variantOptions applies the variants named in the test's path (set by
// underEach, possibly nested) to opts.
func variantOptions(t *testing.T, opts *fake.Options) {
	for _, part := range strings.Split(t.Name(), "/") {
		for _, vs := range [][]fakeVariant{sortVariants, draftIDVariants, formsFilterVariants, quotaVariants, filterMissVariants, draftIDFilterMissPairs} {
			for _, v := range vs {
				if part == v.name {
					v.set(opts)
				}
			}
		}
	}
}

// noSortAtAll fails the test if any sortRange was applied to the
// tracker, by staff or by kopi (the fake counts them). The sort variants
// (sortVariants) differ only in what sortRange does with row metadata,
// so a test in which none is applied runs the same under both: such a
// test runs under one fake and checks with this that it still sorts
// nothing. If it ever does, run it under each sort variant again.
func noSortAtAll(t *testing.T, e *env) {
	t.Helper()
	n, err := e.srv.SortsApplied(e.sheetID)
	if err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		t.Errorf("%d sortRange requests applied to the tracker: the fake's sort variants now matter to this test, run it under each (underEach(t, sortVariants, ...))", n)
	}
}

// setupUnsorted is setup for a test that runs under one of the fake's
// sort variants because nothing in it sorts: at its end, noSortAtAll
// checks that nothing did.
func setupUnsorted(t *testing.T) *env {
	t.Helper()
	e := setup(t)
	t.Cleanup(func() { noSortAtAll(t, e) })
	return e
}
