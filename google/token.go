package google

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"golang.org/x/oauth2"
)

// The OAuth token file is the key to the office's mailbox and tracker, so
// it is private to the account running kopi (UU 27/2022; SPEC §5.6) and is
// replaced atomically: a crash while saving leaves the previous token, never
// a half-written file that would force the operator through `kopi auth`
// again.

// TokenFileMode is the permission of a saved token file.
const TokenFileMode fs.FileMode = 0o600

// ErrTokenMissing reports that the token file does not exist: `kopi auth`
// has not been run yet.
var ErrTokenMissing = errors.New("token file missing")

// InsecureTokenError reports a token file readable or writable by group
// or others. kopi refuses to use it until the operator restricts it.
type InsecureTokenError struct {
	Path string
	Mode fs.FileMode
}

// Error names the file and its mode.
func (e *InsecureTokenError) Error() string {
	return fmt.Sprintf("token file %s is accessible to other users (mode %04o)", e.Path, e.Mode.Perm())
}

// BadTokenError reports a token file that holds no usable token.
type BadTokenError struct {
	Path string
	Err  error // nil when the JSON parsed but holds neither token
}

// Error names the file and the cause.
func (e *BadTokenError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("token file %s: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("token file %s holds neither an access token nor a refresh token", e.Path)
}

// Unwrap returns the cause.
func (e *BadTokenError) Unwrap() error { return e.Err }

// checkPrivate is the permission test; a variable so it stays testable on
// every platform. Windows has no Unix permission bits: the file's ACL,
// inherited from the user's profile directory, protects it there.
//
// One exception to "owner only": a file readable by its group, writable
// by no one else, on a read-only mount. That is how Kubernetes hands a
// Secret to a non-root container — the kubelet gives the files the pod's
// fsGroup and group read whatever defaultMode says
// (kubernetes/kubernetes#57923) — and a read-only mount is not a place
// where an operator keeps a token by accident.
var checkPrivate = func(path string, mode fs.FileMode) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	perm := mode.Perm()
	if perm&0o077 == 0 || perm&0o037 == 0 && onReadOnlyMount(path) {
		return nil
	}
	return &InsecureTokenError{Path: path, Mode: mode}
}

// CheckTokenFile reports whether the token file exists and is private:
// ErrTokenMissing (wrapped) when absent, *InsecureTokenError when group or
// others may access it.
func CheckTokenFile(path string) error {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", path, ErrTokenMissing)
	}
	if err != nil {
		return fmt.Errorf("inspect token file: %w", err)
	}
	return checkPrivate(path, st.Mode())
}

// LoadToken reads a token file after checking that it is private.
func LoadToken(path string) (*oauth2.Token, error) {
	if err := CheckTokenFile(path); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read token file: %w", err)
	}
	var tok oauth2.Token
	if err := json.Unmarshal(b, &tok); err != nil {
		return nil, &BadTokenError{Path: path, Err: err}
	}
	if tok.AccessToken == "" && tok.RefreshToken == "" {
		return nil, &BadTokenError{Path: path}
	}
	return &tok, nil
}

// Steps of SaveToken, variables so tests can make one fail and show that
// the previous token survives.
var (
	renameFile = os.Rename
	syncFile   = func(f *os.File) error { return f.Sync() }
)

// SaveToken writes tok to path atomically: a temporary file in the same
// directory, mode 0600, written and fsynced, then renamed over path; on
// Unix the directory is fsynced too so the rename itself survives a power
// cut. On any failure the previous file is left untouched and the
// temporary file removed.
func SaveToken(path string, tok *oauth2.Token) (err error) {
	b, err := json.MarshalIndent(tok, "", "  ")
	if err != nil {
		return fmt.Errorf("encode token: %w", err)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	// CreateTemp already uses 0600; Chmod states it and covers odd umasks.
	if err = f.Chmod(TokenFileMode); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("save token: restrict %s: %w", tmp, err)
	}
	if _, err = f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("save token: write %s: %w", tmp, err)
	}
	if err = syncFile(f); err != nil {
		return fmt.Errorf("save token: sync %s: %w", tmp, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("save token: close %s: %w", tmp, err)
	}
	if err = renameFile(tmp, path); err != nil {
		return fmt.Errorf("save token: replace %s: %w", path, err)
	}
	if runtime.GOOS != "windows" {
		// Best effort: not every file system supports syncing a directory.
		if d, derr := os.Open(dir); derr == nil {
			_ = d.Sync()
			_ = d.Close()
		}
	}
	return nil
}

// TokenNotSavedError reports that a refreshed token could not be written
// to the token file: a Kubernetes Secret mounted read-only, a full disk.
// The token is used from memory all the same; it is never a reason to
// stop.
type TokenNotSavedError struct {
	Path string
	// Rotated is true when Google answered the refresh with a new refresh
	// token that the file does not hold. Google may then refuse the
	// file's refresh token once this process has ended, and the next
	// start would need `kopi auth` (or a renewed Secret).
	Rotated bool
	Err     error
}

// Error names the file and whether a rotated refresh token was lost.
func (e *TokenNotSavedError) Error() string {
	if e.Rotated {
		return fmt.Sprintf("token file %s: a rotated refresh token could not be saved: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("token file %s: a refreshed access token could not be saved: %v", e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *TokenNotSavedError) Unwrap() error { return e.Err }

// PersistentTokenSource hands out tokens and keeps the token file and
// the running process in step, both ways: a token refreshed here is saved
// to Path, so it survives a restart and a refresh token Google rotates is
// never lost; a token file renewed by `kopi auth` while the daemon runs is
// picked up on the next call, so the daemon resumes by itself after the
// operator re-authorised. An invalid_grant refusal becomes
// *ReauthRequiredError.
//
// A token file that cannot be rewritten (a read-only Secret in a
// container, where `kopi once` starts fresh every run) is fine: the
// refreshed token lives in memory, each token is tried once, and
// OnSaveError hears about it at most twice per process — once for the
// first unsaved access token and once for the first unsaved rotated
// refresh token.
type PersistentTokenSource struct {
	// Path is the token file.
	Path string
	// OnSaveError, when set, is told (with a *TokenNotSavedError) that a
	// refreshed token could not be saved; the token is still used.
	OnSaveError func(error)

	newBase func(*oauth2.Token) oauth2.TokenSource
	mu      sync.Mutex
	base    oauth2.TokenSource
	last    string    // access token last saved or loaded
	refresh string    // refresh token the file holds
	tried   string    // access token whose save failed: not tried again
	told    [2]bool   // OnSaveError called: [0] access token, [1] rotated refresh token
	stamp   fileStamp // the token file as last read or written
	// refused is the invalid_grant answer; while the file is unchanged
	// it is returned again without asking Google.
	refused error
}

// fileStamp tells whether a file changed since it was last seen. The
// token store replaces the file by rename, so a new file is a new inode
// even when it has the old size and, within the file system's coarse
// clock, the old modification time.
type fileStamp struct {
	info os.FileInfo
}

func stampOf(path string) fileStamp {
	st, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{info: st}
}

// same reports whether two stamps describe the same file content.
func (a fileStamp) same(b fileStamp) bool {
	if a.info == nil || b.info == nil {
		return a.info == nil && b.info == nil
	}
	return os.SameFile(a.info, b.info) && a.info.ModTime().Equal(b.info.ModTime()) && a.info.Size() == b.info.Size()
}

// NewPersistentTokenSource returns a source that refreshes through
// newBase(token) (an oauth2.Config's TokenSource, bound to its context);
// loaded is the token just read from path.
func NewPersistentTokenSource(newBase func(*oauth2.Token) oauth2.TokenSource, path string, loaded *oauth2.Token) *PersistentTokenSource {
	return &PersistentTokenSource{
		Path: path, newBase: newBase, base: newBase(loaded),
		last: loaded.AccessToken, refresh: loaded.RefreshToken, stamp: stampOf(path),
	}
}

// Token returns a valid token, refreshing when needed and saving a token
// that changed.
func (p *PersistentTokenSource) Token() (*oauth2.Token, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st := stampOf(p.Path); st.info != nil && !st.same(p.stamp) {
		// Written by someone else: `kopi auth` after a revocation. A file
		// that became unreadable or public is refused as at start.
		tok, err := LoadToken(p.Path)
		if err != nil {
			return nil, err
		}
		p.base, p.last, p.refresh, p.stamp, p.refused = p.newBase(tok), tok.AccessToken, tok.RefreshToken, st, nil
	}
	if p.refused != nil {
		return nil, p.refused
	}
	tok, err := p.base.Token()
	if err != nil {
		err = wrapReauth(err)
		if IsReauthRequired(err) {
			p.refused = err // no call to Google until `kopi auth` renews the file
		}
		return nil, err
	}
	if tok.AccessToken != p.last && tok.AccessToken != p.tried {
		if err := SaveToken(p.Path, tok); err != nil {
			p.tried = tok.AccessToken
			p.notSaved(&TokenNotSavedError{
				Path: p.Path, Err: err,
				Rotated: tok.RefreshToken != "" && tok.RefreshToken != p.refresh,
			})
		} else {
			p.last, p.refresh, p.stamp = tok.AccessToken, tok.RefreshToken, stampOf(p.Path)
		}
	}
	return tok, nil
}

// notSaved tells OnSaveError, once per kind of loss.
func (p *PersistentTokenSource) notSaved(e *TokenNotSavedError) {
	kind := 0
	if e.Rotated {
		kind = 1
	}
	if p.told[kind] || p.OnSaveError == nil {
		return
	}
	p.told[kind] = true
	p.OnSaveError(e)
}
