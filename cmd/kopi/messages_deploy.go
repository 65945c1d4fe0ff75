package main

// Messages of running kopi as a container or a Kubernetes job: the token
// file on a read-only Secret and the Pushgateway.
const (
	msgTokenNotSaved = "berkas token tidak dapat ditulis (misalnya Secret Kubernetes yang dipasang hanya-baca): " +
		"token akses yang disegarkan dipakai dari memori saja; ini wajar dan tidak perlu ditindaklanjuti"
	msgTokenRotatedNotSaved = "Google memberi refresh token baru, tetapi berkas token tidak dapat ditulis: kopi tetap berjalan " +
		"dengan token di memori, namun setelah kopi berhenti refresh token lama di berkas bisa ditolak — jalankan `kopi auth` " +
		"di komputer operator lalu perbarui berkas token (atau Secret Kubernetes-nya) sebelum kopi dijalankan lagi"
)

const (
	msgFlagPushMetrics = "kirim metrik siklus ke Prometheus Pushgateway di URL ini (mis. http://pushgateway:9091)"
	msgPushFailed      = "metrik siklus tidak terkirim ke Pushgateway; hasil siklus tetap tersimpan di spreadsheet"
)

const msgAuthExternal = "Berkas kredensial %s adalah federasi identitas workload (external_account) yang memakai akun layanan %s " +
	"atas nama %s lewat delegasi seluruh domain Google Workspace, tanpa berkas kunci: tidak perlu `kopi auth`. " +
	"Akun layanan itu perlu peran Service Account Token Creator atas dirinya sendiri. Jalankan `kopi check` untuk menguji delegasinya."
