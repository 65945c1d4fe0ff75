//go:build !linux

package google

// onReadOnlyMount is false outside Linux: kopi runs in containers on
// Linux only, and elsewhere a token file stays private to its owner.
func onReadOnlyMount(string) bool { return false }
