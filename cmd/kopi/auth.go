package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"kopi/google"
)

// openBrowser opens the consent page; tests replace it with a fake
// browser that follows the redirect.
var openBrowser = google.OpenBrowser

// authOptions are the flags of `kopi auth`.
type authOptions struct {
	configPath string
	noBrowser  bool
	timeout    time.Duration
}

// runAuth parses `kopi auth` flags: the one-time OAuth consent.
func runAuth(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "auth", "[--config kopi.yaml] [--no-browser]")
	var o authOptions
	fs.StringVar(&o.configPath, "config", defaultConfigPath, "berkas konfigurasi")
	fs.BoolVar(&o.noBrowser, "no-browser", false, "jangan membuka peramban; cukup cetak alamatnya")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "batas waktu menunggu persetujuan di peramban")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	return auth(ctx, env, o)
}

// auth runs the installed-app OAuth flow and saves the token. The ids of
// the spreadsheet and the form may still be empty: `kopi auth` comes
// before `kopi init`.
func auth(ctx context.Context, env *environment, o authOptions) error {
	oc, err := loadConfig(o.configPath, keySpreadsheetID, keyFormID)
	if err != nil {
		return err
	}
	if oc.cfg.Google.Endpoint != "" {
		return fmt.Errorf(msgAuthFake, oc.cfg.Google.Endpoint)
	}
	credsPath := oc.resolve(oc.cfg.Google.CredentialsFile)
	tokenPath := oc.resolve(oc.cfg.Google.TokenFile)
	sender := oc.cfg.Mail.Sender.Address
	creds, err := readCredentials(credsPath, sender)
	if err != nil {
		return err
	}
	if creds.Delegated() {
		msg := msgAuthSA
		if creds.Kind == google.ExternalAccount {
			msg = msgAuthExternal
		}
		fmt.Fprintf(env.stdout, msg+"\n", credsPath, creds.ServiceAccountEmail(), sender)
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	lo := google.LoginOptions{
		Show: func(url string) {
			fmt.Fprintf(env.stdout, msgAuthIntro+"\n\n  %s\n\n", sender, url)
			fmt.Fprintf(env.stdout, msgAuthBrowser+"\n", redirectOf(url))
			fmt.Fprintf(env.stdout, msgAuthWaiting+"\n", o.timeout)
		},
	}
	if !o.noBrowser {
		lo.Open = openBrowser
	}
	tok, err := google.Login(ctx, creds.OAuth, lo)
	if err != nil {
		return loginError(err, o.timeout)
	}
	if err := google.SaveToken(tokenPath, tok); err != nil {
		return fmt.Errorf(msgAuthSave, tokenPath, err)
	}
	fmt.Fprintf(env.stdout, msgAuthSaved+"\n", tokenPath, o.configPath)
	return nil
}

// redirectOf returns the loopback redirect URI inside a consent URL, for
// the operator's information.
func redirectOf(consentURL string) string {
	u, err := url.Parse(consentURL)
	if err != nil || u.Query().Get("redirect_uri") == "" {
		return "127.0.0.1"
	}
	return u.Query().Get("redirect_uri")
}

// loginError turns google.Login's errors into one Indonesian message.
func loginError(err error, timeout time.Duration) error {
	var denied *google.ConsentDeniedError
	var scopes *google.MissingScopesError
	switch {
	case errors.As(err, &denied):
		return fmt.Errorf(msgAuthDenied, denied.Code)
	case errors.Is(err, google.ErrStateMismatch):
		return errors.New(msgAuthState)
	case errors.Is(err, google.ErrNoRefreshToken):
		//lint:ignore ST1005 the message starts with the proper noun "Google"
		return errors.New(msgAuthNoRefresh)
	case errors.As(err, &scopes):
		return fmt.Errorf(msgAuthScopes, joinQuoted(scopes.Missing))
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf(msgAuthTimeout, timeout)
	}
	return fmt.Errorf(msgAuthFailed, err)
}
