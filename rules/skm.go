package rules

import (
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"time"
)

// SKMElementCount is the number of elements (unsur) of the Survei
// Kepuasan Masyarakat of PermenPANRB 14/2017.
const SKMElementCount = 9

// SKMElement is one element (unsur) of the satisfaction survey: the
// regulation's name, its template question adapted to an online
// consultation, and the four answers from 1 (worst) to 4 (best).
type SKMElement struct {
	// Code is U1…U9, the regulation's numbering.
	Code string
	// Name is the element's name in the regulation.
	Name string
	// Question is the question put on the survey form.
	Question string
	// Choices are the answers worth 1, 2, 3 and 4.
	Choices [4]string
}

// SKMElements are the nine elements in the regulation's order. The
// question wording follows the regulation's template, adapted to an
// online consultation (sarana = the online channel).
var SKMElements = [SKMElementCount]SKMElement{
	{"U1", "Persyaratan", "Bagaimana pendapat Saudara tentang kesesuaian persyaratan layanan konsultasi (isian formulir dan dokumen pendukung) dengan jenis layanannya?", [4]string{"Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"}},
	{"U2", "Sistem, Mekanisme, dan Prosedur", "Bagaimana pemahaman Saudara tentang kemudahan prosedur layanan konsultasi online ini?", [4]string{"Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"}},
	{"U3", "Waktu Penyelesaian", "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan jawaban konsultasi?", [4]string{"Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"}},
	{"U4", "Biaya/Tarif", "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam layanan konsultasi?", [4]string{"Sangat mahal", "Cukup mahal", "Murah", "Gratis"}},
	{"U5", "Produk Spesifikasi Jenis Pelayanan", "Bagaimana pendapat Saudara tentang kesesuaian jawaban yang diberikan dengan yang tercantum dalam standar layanan konsultasi?", [4]string{"Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"}},
	{"U6", "Kompetensi Pelaksana", "Bagaimana pendapat Saudara tentang kompetensi/kemampuan konsuler dalam menjawab konsultasi?", [4]string{"Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"}},
	{"U7", "Perilaku Pelaksana", "Bagaimana pendapat Saudara tentang perilaku petugas dalam layanan konsultasi terkait kesopanan dan keramahan?", [4]string{"Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"}},
	{"U8", "Penanganan Pengaduan, Saran dan Masukan", "Bagaimana pendapat Saudara tentang penanganan pengaduan, saran dan masukan pengguna layanan konsultasi?", [4]string{"Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"}},
	{"U9", "Sarana dan Prasarana", "Bagaimana pendapat Saudara tentang kualitas sarana layanan konsultasi online (formulir, email, WhatsApp)?", [4]string{"Buruk", "Cukup", "Baik", "Sangat baik"}},
}

// SKMScore returns the value 1–4 of an answer to element i (0-based),
// or 0 when the text is none of the element's choices.
func SKMScore(i int, answer string) int {
	if i < 0 || i >= SKMElementCount {
		return 0
	}
	k := normKey(answer)
	for v, c := range SKMElements[i].Choices {
		if normKey(c) == k {
			return v + 1
		}
	}
	return 0
}

// SKMScores are one respondent's values per element, 1–4; 0 means the
// element was not answered.
type SKMScores [SKMElementCount]int

// SKMGrade is the regulation's service quality (mutu pelayanan).
type SKMGrade string

// The four grades of PermenPANRB 14/2017.
const (
	GradeA SKMGrade = "A"
	GradeB SKMGrade = "B"
	GradeC SKMGrade = "C"
	GradeD SKMGrade = "D"
)

// Label is the grade's unit performance in the regulation's words.
func (g SKMGrade) Label() string {
	switch g {
	case GradeA:
		return "Sangat Baik"
	case GradeB:
		return "Baik"
	case GradeC:
		return "Kurang Baik"
	case GradeD:
		return "Tidak Baik"
	}
	return ""
}

// GradeOfIndex grades a converted index given in hundredths (8831 is
// 88.31), already rounded: A 88.31–100.00, B 76.61–88.30, C 65.00–76.60,
// D 25.00–64.99. The regulation's table has gaps of 0.01, which is why
// the index is rounded to two decimals before grading.
func GradeOfIndex(cents int) SKMGrade {
	switch {
	case cents >= 8831:
		return GradeA
	case cents >= 7661:
		return GradeB
	case cents >= 6500:
		return GradeC
	}
	return GradeD
}

// IKM is the satisfaction index of a set of survey responses.
type IKM struct {
	// Respondents is the number of responses counted.
	Respondents int
	// Answered and Sum are, per element, the answers given and their total.
	Answered [SKMElementCount]int
	Sum      [SKMElementCount]int
	// NRR is the mean value per element (nilai rata-rata); 0 when nobody
	// answered the element.
	NRR [SKMElementCount]float64
	// Valid reports whether every element has at least one answer; the
	// regulation weighs each element exactly 1/9, so an element nobody
	// answered leaves the index undefined rather than reweighted.
	Valid bool
	// Value is Σ NRR × 1/9, on the 1–4 scale (valid only when Valid).
	Value float64
	// Cents is the converted index Value × 25 rounded half up to two
	// decimals, in hundredths (10000 = 100.00).
	Cents int
	// Grade is the quality by the regulation's intervals.
	Grade SKMGrade
}

// IndexText formats the converted index with two decimals and a comma,
// as Indonesian reports print it ("88,31"); "-" when not Valid.
func (k IKM) IndexText() string {
	if !k.Valid {
		return "-"
	}
	return fmt.Sprintf("%d,%02d", k.Cents/100, k.Cents%100)
}

// ComputeIKM computes the index of responses: per element the mean of
// the values given (a blank answer is left out of that element's mean),
// IKM = Σ NRR × 1/9, converted = IKM × 25 rounded to two decimals and
// then graded. The arithmetic is exact (rational), so that all 4s give
// exactly 100.00 and no boundary is crossed by a floating-point error.
func ComputeIKM(responses []SKMScores) IKM {
	var k IKM
	for _, r := range responses {
		gave := false
		for i, v := range r {
			if v >= 1 && v <= 4 {
				k.Answered[i]++
				k.Sum[i] += v
				gave = true
			}
		}
		if gave {
			k.Respondents++
		}
	}
	return finishIKM(k)
}

func finishIKM(k IKM) IKM {
	k.Valid = true
	total := new(big.Rat)
	for i := range k.Sum {
		if k.Answered[i] == 0 {
			k.Valid = false
			continue
		}
		nrr := big.NewRat(int64(k.Sum[i]), int64(k.Answered[i]))
		k.NRR[i], _ = nrr.Float64()
		total.Add(total, nrr)
	}
	if !k.Valid {
		return k
	}
	ikm := new(big.Rat).Mul(total, big.NewRat(1, SKMElementCount))
	k.Value, _ = ikm.Float64()
	// converted × 100 = ikm × 2500, rounded half up.
	hundredths := new(big.Rat).Mul(ikm, big.NewRat(2500, 1))
	hundredths.Add(hundredths, big.NewRat(1, 2))
	k.Cents = int(new(big.Int).Quo(hundredths.Num(), hundredths.Denom()).Int64())
	k.Grade = GradeOfIndex(k.Cents)
	return k
}

// MinimumSample is the regulation's minimum number of respondents for a
// population of n service users (Krejcie and Morgan: χ² = 3.841, P = 0.5,
// d = 0.05): 100 → 80, 1,000 → 278, 10,000 → 370, never more than n.
func MinimumSample(n int) int {
	if n <= 0 {
		return 0
	}
	const chi2, p, d = 3.841, 0.5, 0.05
	N := float64(n)
	s := chi2 * N * p * (1 - p) / (d*d*(N-1) + chi2*p*(1-p))
	return min(n, int(math.Round(s)))
}

// SampleShort reports whether respondents fall short of the minimum
// sample for a population of n.
func SampleShort(respondents, population int) bool {
	return respondents < MinimumSample(population)
}

// ScoredSurvey is a survey response joined to its case, as the report
// groups it.
type ScoredSurvey struct {
	// Ticket is the case the survey was joined to ("" when unknown).
	Ticket string
	// At is when the survey was submitted.
	At time.Time
	// Topic and Consultant come from the joined case.
	Topic      string
	Consultant string
	// Scores are the nine values.
	Scores SKMScores
}

// IKMGroup is the index of one group of surveys (a month, a topic, a
// consultant) with its population and minimum sample.
type IKMGroup struct {
	// Key names the group (a month "2026-11", a topic, a consultant).
	Key string
	IKM IKM
	// Population is the number of cases served in the group, the
	// survey's population.
	Population int
	// MinSample is the regulation's minimum sample for Population.
	MinSample int
	// Short reports that fewer respondents than MinSample answered.
	Short bool
}

// GroupIKM computes the index per key, sorted by key; population gives
// the number of cases served per key (keys with cases but no survey are
// included, with no valid index).
func GroupIKM(surveys []ScoredSurvey, key func(ScoredSurvey) string, population map[string]int) []IKMGroup {
	by := map[string][]SKMScores{}
	for _, s := range surveys {
		k := key(s)
		by[k] = append(by[k], s.Scores)
	}
	for k := range population {
		if _, ok := by[k]; !ok {
			by[k] = nil
		}
	}
	out := make([]IKMGroup, 0, len(by))
	for _, k := range slices.Sorted(maps.Keys(by)) {
		g := IKMGroup{Key: k, IKM: ComputeIKM(by[k]), Population: population[k]}
		g.MinSample = MinimumSample(g.Population)
		g.Short = SampleShort(g.IKM.Respondents, g.Population)
		out = append(out, g)
	}
	return out
}
