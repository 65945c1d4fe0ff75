package main

import (
	"context"
	"fmt"

	"kopi/google/fake"
)

// runFakeWorkspace serves the fake Google Workspace until the process is
// interrupted. The "siap di" line is printed only once the socket is
// bound, so a script can wait for it before pointing clients at the URL.
func runFakeWorkspace(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "fake-workspace", "[--addr 127.0.0.1:PORT] [--ui [--ui-addr 127.0.0.1:8086]]")
	addr := fs.String("addr", "127.0.0.1:8085", "alamat dengar (host:port); port 0 memilih port bebas")
	account := fs.String("account", "", "alamat email pemilik kotak surat tiruan; samakan dengan mail.sender.address agar `kopi check` lulus (kosong: kopi@example.go.id)")
	seed := fs.Uint64("seed", 0, "benih pembangkit ID agar hasil dapat diulang")
	sortLeaves := fs.Bool("sort-leaves-metadata", false, "perilaku uji: pengurutan (sortRange) membiarkan metadata baris di posisinya, bukan ikut pindah bersama barisnya")
	ui := fs.Bool("ui", false, "buka juga tampilan web Formulir, Sheet dan Gmail tiruan")
	uiAddr := fs.String("ui-addr", "127.0.0.1:8086", "alamat tampilan web (hanya loopback); port 0 memilih port bebas")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	srv, err := fake.New(fake.Options{Addr: *addr, Account: *account, Seed: *seed, SortLeavesMetadata: *sortLeaves})
	if err != nil {
		return listenError(fmt.Sprintf(msgFakeListen, *addr), *addr, err)
	}
	fmt.Fprintf(env.stdout, msgFakeReady+"\n", srv.URL())
	if *ui {
		stop, err := serveFakeUI(env, srv, *uiAddr)
		if err != nil {
			_ = srv.Close()
			return err
		}
		defer stop()
	}
	<-ctx.Done()
	return srv.Close()
}
