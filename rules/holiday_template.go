package rules

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"sort"
	"time"
)

// TemplateHoliday is one line of a year's holiday template: a holiday
// whose date kopi computes exactly (fixed dates, and the Christian feasts
// from Easter), or an estimate of one that moves with the moon, which the
// office must confirm against the year's SKB 3 Menteri.
type TemplateHoliday struct {
	Holiday
	// Estimate marks a date kopi can only approximate: the Islamic
	// feasts (set by the Ministry of Religious Affairs' sidang isbat),
	// Imlek, Nyepi and Waisak.
	Estimate bool
	// Basis says how the date was found, in Indonesian.
	Basis string
}

// ConfirmPrefix starts a template line that is not yet a holiday: the
// office removes it after checking the date against the decree. Lines
// starting with "#" are comments for ParseHolidayCSV.
const ConfirmPrefix = "# PERIKSA "

// HolidayTemplate returns the national holidays of year that are known
// in advance, and estimates of the moving ones, sorted by date. Cuti
// bersama are not in it: they are decided each year by the decree.
func HolidayTemplate(year int) []TemplateHoliday {
	var out []TemplateHoliday
	exact := func(m time.Month, d int, name string) {
		out = append(out, TemplateHoliday{Holiday: Holiday{Date: Date{Year: year, Month: m, Day: d}, Name: name, Kind: HolidayNational}, Basis: basisFixed})
	}
	exact(time.January, 1, fmt.Sprintf("Tahun Baru %d Masehi", year))
	exact(time.May, 1, "Hari Buruh Internasional")
	exact(time.June, 1, "Hari Lahir Pancasila")
	exact(time.August, 17, "Hari Proklamasi Kemerdekaan RI")
	exact(time.December, 25, "Hari Raya Natal")

	easter := Easter(year)
	fromEaster := func(days int, name string) {
		out = append(out, TemplateHoliday{Holiday: Holiday{Date: DateOf(easter.AddDate(0, 0, days)), Name: name, Kind: HolidayNational}, Basis: basisEaster})
	}
	fromEaster(-2, "Wafat Yesus Kristus")
	fromEaster(0, "Kebangkitan Yesus Kristus (Paskah)")
	fromEaster(39, "Kenaikan Yesus Kristus")

	estimate := func(t time.Time, name, basis string) {
		if t.Year() != year {
			return
		}
		out = append(out, TemplateHoliday{Holiday: Holiday{Date: DateOf(t), Name: name, Kind: HolidayNational}, Estimate: true, Basis: basis})
	}
	for h := year - 580; h <= year-577; h++ {
		estimate(hijri(h, 7, 27), "Isra Mikraj Nabi Muhammad SAW", basisHijri)
		estimate(hijri(h, 10, 1), fmt.Sprintf("Idul Fitri %d H", h), basisHijri)
		estimate(hijri(h, 10, 2), fmt.Sprintf("Idul Fitri %d H", h), basisHijri)
		estimate(hijri(h, 12, 10), fmt.Sprintf("Idul Adha %d H", h), basisHijri)
		estimate(hijri(h, 1, 1), fmt.Sprintf("1 Muharam Tahun Baru Islam %d H", h), basisHijri)
		estimate(hijri(h, 3, 12), "Maulid Nabi Muhammad SAW", basisHijri)
	}
	china := time.FixedZone("CST", 8*3600)
	estimate(moonPhaseOnOrAfter(time.Date(year, time.January, 21, 0, 0, 0, 0, china), 0),
		fmt.Sprintf("Tahun Baru Imlek %d Kongzili", year+551), basisImlek)
	estimate(moonPhaseOnOrAfter(time.Date(year, time.March, 1, 0, 0, 0, 0, time.UTC), 0),
		fmt.Sprintf("Hari Suci Nyepi Tahun Baru Saka %d", year-78), basisNyepi)
	wib := time.FixedZone("WIB", 7*3600)
	estimate(fullMoonNearest(time.Date(year, time.May, 22, 0, 0, 0, 0, wib)),
		fmt.Sprintf("Hari Raya Waisak %d BE", year+544), basisWaisak)

	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.String() < out[j].Date.String() })
	return out
}

// How each date of the template was found.
const (
	basisFixed  = "tanggal tetap"
	basisEaster = "dihitung dari tanggal Paskah (komputus Gregorian), pasti"
	basisHijri  = "PERKIRAAN kalender Hijriah tabular; tanggal resmi ditetapkan sidang isbat dan SKB 3 Menteri, bisa bergeser 1–2 hari"
	basisImlek  = "PERKIRAAN bulan baru pertama sejak 21 Januari (waktu Tiongkok); bisa bergeser 1 hari"
	basisNyepi  = "PERKIRAAN bulan baru (Tilem Kesanga) pada bulan Maret; bisa bergeser 1 hari"
	basisWaisak = "PERKIRAAN purnama terdekat dengan 22 Mei; bisa bergeser 1 hari atau sebulan"
)

// RenderHolidayTemplate writes the template of year in the CSV format
// ParseHolidayCSV reads: exact dates as holiday lines, estimates as
// comment lines starting with ConfirmPrefix that become holidays only
// once the office has checked them against the decree and removed the
// prefix, and a reminder to add the year's cuti bersama.
func RenderHolidayTemplate(year int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Hari libur nasional %d — templat dari `kopi holidays template %d`.\n", year, year)
	fmt.Fprintf(&b, "# Cocokkan dengan SKB 3 Menteri tentang hari libur nasional dan cuti bersama tahun %d.\n", year)
	b.WriteString("# Baris berawalan \"" + ConfirmPrefix + "\" adalah PERKIRAAN dan belum dipakai kopi: perbaiki tanggal\n")
	b.WriteString("# dan harinya sesuai SKB, lalu hapus awalan itu. Tambahkan cuti bersama dengan jenis cuti_bersama.\n")
	b.WriteString("# Baris berawalan # diabaikan kopi. Periksa hasilnya dengan: kopi check\n")
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"tanggal", "hari", "jenis", "keterangan"})
	w.Flush()
	for _, h := range HolidayTemplate(year) {
		rec := []string{h.Date.String(), weekdayNameID(h.Date.Weekday()), string(h.Kind), h.Name}
		if h.Estimate {
			b.WriteString(ConfirmPrefix)
		}
		_ = w.Write(rec)
		w.Flush()
		if h.Estimate {
			// the basis on a line of its own, so the record stays clean
			fmt.Fprintf(&b, "#   ↑ %s\n", h.Basis)
		}
	}
	fmt.Fprintf(&b, "# Cuti bersama %d: salin dari SKB, mis.\n# %d-12-24,%s,cuti_bersama,Cuti bersama Hari Raya Natal\n",
		year, year, weekdayNameID(Date{Year: year, Month: time.December, Day: 24}.Weekday()))
	return b.Bytes()
}

// Easter returns the date of Easter Sunday of year in the Gregorian
// calendar (the anonymous Gregorian computus), at midnight UTC.
func Easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// hijri returns the civil date of day d of month m of Hijri year y in the
// tabular (arithmetic) Islamic calendar, at midnight UTC. Indonesia fixes
// the real dates by observation and calculation, so this is an estimate.
func hijri(y, m, d int) time.Time {
	jd := d + int(math.Ceil(29.5*float64(m-1))) + (y-1)*354 + (3+11*y)/30 + 1948439 // JD at noon
	return time.Date(1970, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, jd-2440588)
}

// Mean lunation (Meeus, Astronomical Algorithms ch. 49): the new moon of
// 2000-01-06 at JDE 2451550.09766 and the mean synodic month. The true
// phase differs from the mean by up to about 14 hours.
const (
	newMoonEpochJD = 2451550.09766
	synodicMonth   = 29.530588861
	unixEpochJD    = 2440587.5
)

func fromJD(jd float64) time.Time {
	return time.Unix(0, 0).UTC().Add(time.Duration((jd - unixEpochJD) * 24 * float64(time.Hour)))
}

func toJD(t time.Time) float64 {
	return unixEpochJD + float64(t.UTC().UnixNano())/float64(24*time.Hour)
}

// moonPhaseOnOrAfter returns the date, in t's zone and at midnight, of
// the first mean new moon (phase 0) or full moon (phase 0.5) at or after
// t's day.
func moonPhaseOnOrAfter(t time.Time, phase float64) time.Time {
	k := math.Ceil((toJD(t)-newMoonEpochJD)/synodicMonth - phase)
	for {
		m := fromJD(newMoonEpochJD + (k+phase)*synodicMonth).In(t.Location())
		day := time.Date(m.Year(), m.Month(), m.Day(), 0, 0, 0, 0, t.Location())
		if !day.Before(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())) {
			return day
		}
		k++
	}
}

// fullMoonNearest returns the date, in t's zone, of the mean full moon
// nearest to t.
func fullMoonNearest(t time.Time) time.Time {
	k := math.Round((toJD(t)-newMoonEpochJD)/synodicMonth - 0.5)
	m := fromJD(newMoonEpochJD + (k+0.5)*synodicMonth).In(t.Location())
	return time.Date(m.Year(), m.Month(), m.Day(), 0, 0, 0, 0, t.Location())
}
