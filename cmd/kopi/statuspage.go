package main

import "html/template"

// msgStatusUnknownFailure stands for a failed cycle whose error kopi did
// not explain (the raw text is in the log, never on the page).
const msgStatusUnknownFailure = "galat tak dikenal — lihat log kopi pada waktu itu"

// statusPage is the page an admin opens each morning, in Indonesian: how
// kopi is, the cases in the tracker by status, deliveries held back, the
// last cycles, the next run and who holds the spreadsheet. Times and
// counts only: no case, name or address.
var statusPage = template.Must(template.New("status").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta http-equiv="refresh" content="60">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Status kopi</title>
<style>
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60em;margin:1.5em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse}td,th{padding:.25em .9em .25em 0;text-align:left;vertical-align:top}
th{font-weight:600;border-bottom:1px solid #ddd}td.n{text-align:right}
.ok{color:#060}.gagal{color:#a00}.catatan{color:#555;font-size:.9em}
.ringkas{display:flex;flex-wrap:wrap;gap:1em}.kotak{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;min-width:9em}
.kotak b{display:block;font-size:1.6em}
</style>
</head><body>
<h1>Status kopi — layanan KOPI Terintegrasi</h1>
<p id="keadaan" class="{{if .Healthy}}ok{{else}}gagal{{end}}"><strong>{{if not .Healthy}}Bermasalah{{else if .LastSuccess}}Sehat{{else}}Sedang memulai{{end}}</strong>{{with .Reason}}: {{.}}{{end}}
<span class="catatan">— per {{.Now}}</span></p>

<h2>Kasus di spreadsheet pelacakan</h2>
{{if .Cases.Known}}<div class="ringkas" id="kasus">
<div class="kotak">Terbuka<b>{{.Cases.Open}}</b></div>
<div class="kotak">Lewat tenggat<b class="{{if .Cases.Overdue}}gagal{{end}}">{{.Cases.Overdue}}</b></div>
<div class="kotak">Kurang lengkap<b>{{.Cases.Incomplete}}</b></div>
<div class="kotak">Menunggu persetujuan<b>{{.Cases.AwaitingApproval}}</b></div>
</div>
<table id="per-status"><tr><th>Status</th><th>Kasus</th></tr>
{{range .Cases.ByStatus}}<tr><td>{{.Status}}</td><td class="n">{{.N}}</td></tr>
{{else}}<tr><td colspan="2">belum ada kasus</td></tr>{{end}}</table>
<p class="catatan">Menurut siklus berhasil terakhir ({{.LastSuccess}}). "Terbuka" = semua kasus yang belum Terkirim/Selesai;
"Menunggu persetujuan" = berstatus Dijawab, menunggu admin memilih Disetujui.</p>
{{else}}<p>Belum ada siklus berhasil; angka kasus muncul setelah siklus pertama.</p>{{end}}

<h2>Pengiriman email</h2>
<table id="pengiriman">
<tr><td>Ditunda pada siklus di bawah</td><td class="n">{{.Deferred}}</td><td class="catatan">dikirim lagi otomatis pada siklus berikutnya (batas kirim harian Gmail, atau Google sempat tak terjangkau)</td></tr>
<tr><td>Gagal pada siklus di bawah</td><td class="n {{if .Failed}}gagal{{end}}">{{.Failed}}</td><td class="catatan">ditolak Gmail untuk selamanya (mis. alamat pemohon salah): tidak dicoba lagi; hubungi pemohon lewat WhatsApp dari baris kasusnya</td></tr>
</table>

<h2>Jadwal</h2>
<table id="jadwal">
<tr><td>Jam kantor</td><td>{{if .OfficeOpen}}buka — siklus tiap menit (schedule.cycle_office){{else}}tutup — siklus lebih jarang (schedule.cycle_outside){{end}}</td></tr>
<tr><td>Siklus berikutnya</td><td>{{with .NextCycle}}{{.}}{{else}}-{{end}}</td></tr>
<tr><td>Siklus berhasil terakhir</td><td>{{with .LastSuccess}}{{.}} ({{$.TookSeconds}} dtk){{else}}belum ada{{end}}</td></tr>
<tr><td>Siklus gagal berturut-turut</td><td>{{.ConsecutiveFailures}}{{with .LastFailure}} (terakhir {{.}}){{end}}</td></tr>
</table>

<h2>Siklus terakhir</h2>
<table id="siklus"><tr><th>Waktu</th><th>Hasil</th><th>Dtk</th><th>Tanggapan</th><th>Kasus baru</th><th>Baris diperbarui</th><th>Email terkirim / ditunda / gagal</th></tr>
{{range .Cycles}}<tr><td>{{.At}}</td>{{if .OK}}<td class="ok">berhasil</td><td class="n">{{.Took}}</td><td class="n">{{.Responses}}</td><td class="n">{{.NewCases}}</td><td class="n">{{.Updated}}</td><td>{{.Sent}} / {{.Deferred}} / {{.Failed}}</td>{{else}}<td class="gagal">gagal</td><td colspan="5" class="catatan">{{.Problem}}</td>{{end}}</tr>
{{else}}<tr><td colspan="7">belum ada siklus</td></tr>{{end}}</table>
<p class="catatan">Siklus tanpa kegiatan berturut-turut diringkas menjadi yang terbaru.</p>

<h2>Klaim spreadsheet</h2>
<table id="klaim">
<tr><td>Pemegang klaim</td><td>{{with .Instance}}instans {{.}} di komputer {{$.Host}} (kopi ini){{else}}-{{end}}</td></tr>
<tr><td>Detak terakhir</td><td>{{with .LastHeartbeat}}{{.}}{{else}}-{{end}}</td></tr>
</table>
<p class="catatan">Hanya satu kopi boleh melayani satu spreadsheet; kopi lain menolak berjalan selama detak ini baru.</p>

<h2>Tautan</h2>
<p>{{if .SheetURL}}<a id="tautan-spreadsheet" href="{{.SheetURL}}">Buka spreadsheet pelacakan</a> · {{end}}<a href="/healthz">/healthz</a> (untuk pemantauan mesin) · <a href="/metrics">/metrics</a> (Prometheus)</p>
</body></html>
`))
