package main

import (
	"context"
	"flag"
	"fmt"

	"kopi/google/fake"
)

// runFakeWorkspace serves the fake Google Workspace until the process is
// interrupted. The "siap di" line is printed only once the socket is
// bound, so a script can wait for it before pointing clients at the URL.
func runFakeWorkspace(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "fake-workspace", "[--addr 127.0.0.1:PORT] [--account EMAIL] [--seed ANGKA] [--sort-leaves-metadata] [--draft-send-keeps-message-id] [--forms-filter-by-create-time] [--sheets-quota] [--workspace-form-defaults] [--ui [--ui-addr 127.0.0.1:8086]]")
	addr := fs.String("addr", "127.0.0.1:8085", "alamat dengar (host:port); port 0 memilih port bebas")
	account := fs.String("account", "", "alamat email pemilik kotak surat tiruan; samakan dengan mail.sender.address agar `kopi check` lulus (kosong: kopi@example.go.id)")
	seed := fs.Uint64("seed", 0, "benih pembangkit ID agar hasil dapat diulang")
	ui := fs.Bool("ui", false, "buka juga tampilan web Formulir, Sheet dan Gmail tiruan")
	uiAddr := fs.String("ui-addr", "127.0.0.1:8086", "alamat tampilan web (hanya loopback); port 0 memilih port bebas")
	var opts fake.Options
	behaviourFlags(fs, &opts)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argumen tak dikenal %q", errUsage, fs.Arg(0))
	}
	opts.Addr, opts.Account, opts.Seed = *addr, *account, *seed
	srv, err := fake.New(opts)
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

// behaviourFlag is one of the fake's choices where Google's documentation
// is silent, as a command-line switch.
type behaviourFlag struct {
	name, help string
	field      func(*fake.Options) *bool
}

// behaviourFlags lists every boolean behaviour option of fake.Options
// once; a test checks that none is missing.
var behaviourFlagTable = []behaviourFlag{
	{"sort-leaves-metadata", "perilaku uji: pengurutan (sortRange) membiarkan metadata baris di posisinya, bukan ikut pindah bersama barisnya",
		func(o *fake.Options) *bool { return &o.SortLeavesMetadata }},
	{"draft-send-keeps-message-id", "drafts.send mempertahankan ID pesan draf untuk email terkirim",
		func(o *fake.Options) *bool { return &o.DraftSendKeepsMessageID }},
	{"forms-filter-by-create-time", "filter responses.list membandingkan waktu kirim pertama (tanggapan yang diubah tidak muncul lagi)",
		func(o *fake.Options) *bool { return &o.FormsFilterByCreateTime }},
	{"sheets-quota", "terapkan kuota Sheets: 60 baca dan 60 tulis per menit per pengguna (429 bila lewat)",
		func(o *fake.Options) *bool { return &o.SheetsQuota }},
	{"data-filter-miss-fails", "penulisan lewat data filter yang tidak cocok dengan rentang atau metadata mana pun (baris yang sudah dihapus) gagal 400, tidak ada yang diterapkan",
		func(o *fake.Options) *bool { return &o.DataFilterMissFails }},
	{"workspace-form-defaults", "formulir baru mengumpulkan email terverifikasi (wajib masuk akun) dan belum dipublikasikan, seperti akun Google Workspace",
		func(o *fake.Options) *bool { return &o.WorkspaceFormDefaults }},
}

// behaviourFlags declares the behaviour switches on fs, writing into o.
func behaviourFlags(fs *flag.FlagSet, o *fake.Options) {
	for _, b := range behaviourFlagTable {
		fs.BoolVar(b.field(o), b.name, false, b.help)
	}
}
