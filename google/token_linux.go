package google

import "golang.org/x/sys/unix"

// onReadOnlyMount reports whether path lies on a file system mounted
// read-only (a Kubernetes Secret volume, a `readOnly: true` mount).
func onReadOnlyMount(path string) bool {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return false
	}
	return st.Flags&unix.ST_RDONLY != 0
}
