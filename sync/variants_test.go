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
		for _, vs := range [][]fakeVariant{sortVariants, draftIDVariants, formsFilterVariants, quotaVariants} {
			for _, v := range vs {
				if part == v.name {
					v.set(opts)
				}
			}
		}
	}
}
