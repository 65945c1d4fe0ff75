package rules

import (
	"testing"
)

// totals spreads a grand total over the nine elements, every element
// answered by n respondents; the index depends only on Σ sum/n.
func totals(n, total int) (sum, answered [SKMElementCount]int) {
	for i := range sum {
		sum[i] = total / SKMElementCount
		answered[i] = n
	}
	for i := 0; i < total%SKMElementCount; i++ {
		sum[i]++
	}
	return sum, answered
}

func TestIKMBoundaries(t *testing.T) {
	tests := []struct {
		name     string
		n, total int
		cents    int
		grade    SKMGrade
	}{
		// total×25/(9n) chosen to land exactly on each bound.
		{"all 4s", 1, 36, 10000, GradeA},
		{"88.31 is A", 2500, 79479, 8831, GradeA},
		{"88.30 is B", 250, 7947, 8830, GradeB},
		{"76.61 is B", 2500, 68949, 7661, GradeB},
		{"76.60 is C", 125, 3447, 7660, GradeC},
		{"65.00 is C", 5, 117, 6500, GradeC},
		{"64.99 is D", 2500, 58491, 6499, GradeD},
		{"all 1s", 3, 27, 2500, GradeD},
		// 88.305 rounds half up to 88.31 before grading: A, not B.
		{"88.305 rounds to A", 10000, 317898, 8831, GradeA},
		// 88.3049… rounds to 88.30: B.
		{"88.3049 rounds to B", 100000, 3178976, 8830, GradeB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, ans := totals(tt.n, tt.total)
			k := finishIKM(IKM{Respondents: tt.n, Sum: sum, Answered: ans})
			if !k.Valid || k.Cents != tt.cents || k.Grade != tt.grade {
				t.Fatalf("index from totals = valid %v, %d, %s; want %d %s", k.Valid, k.Cents, k.Grade, tt.cents, tt.grade)
			}
		})
	}
}

func TestGradeOfIndex(t *testing.T) {
	for cents, want := range map[int]SKMGrade{
		10000: GradeA, 8831: GradeA, 8830: GradeB, 7661: GradeB, 7660: GradeC,
		6500: GradeC, 6499: GradeD, 2500: GradeD,
	} {
		if got := GradeOfIndex(cents); got != want {
			t.Errorf("GradeOfIndex(%d) = %s, want %s", cents, got, want)
		}
	}
	if GradeA.Label() != "Sangat Baik" || GradeD.Label() != "Tidak Baik" {
		t.Errorf("labels: %q %q", GradeA.Label(), GradeD.Label())
	}
}

func TestComputeIKMAllFours(t *testing.T) {
	var rs []SKMScores
	for range 7 {
		rs = append(rs, SKMScores{4, 4, 4, 4, 4, 4, 4, 4, 4})
	}
	k := ComputeIKM(rs)
	// With the printed weight 0.111 this would read 99.90; exact 1/9 gives 100.00.
	if k.Cents != 10000 || k.Grade != GradeA || k.IndexText() != "100,00" || k.Value != 4 || k.Respondents != 7 {
		t.Fatalf("all 4s: %+v", k)
	}
}

// TestComputeIKMPublishedExample reproduces the published processing
// table of the Dinas Kependudukan dan Pencatatan Sipil Tulang Bawang
// Barat, SKM 2023 semester 1 (https://e-smile.tubaba.go.id/main/skm/laporan/online,
// "PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT PER RESPONDEN DAN PER UNSUR
// PELAYANAN"): one respondent, U1–U9 all 4, "Σ Nilai / Unsur 4", "NRR /
// Unsur 4", "IKM UNIT PELAYANAN 100 (Sangat Baik)". The table prints NRR
// tertimbang 0.44 per element (4 × 0.111) yet 100, i.e. it uses 4/9.
func TestComputeIKMPublishedExample(t *testing.T) {
	k := ComputeIKM([]SKMScores{{4, 4, 4, 4, 4, 4, 4, 4, 4}})
	for i := range k.NRR {
		if k.Sum[i] != 4 || k.NRR[i] != 4 {
			t.Errorf("U%d: Σ %d NRR %v, want 4 4", i+1, k.Sum[i], k.NRR[i])
		}
	}
	if k.IndexText() != "100,00" || k.Grade.Label() != "Sangat Baik" {
		t.Fatalf("index %s %s, want 100,00 Sangat Baik", k.IndexText(), k.Grade.Label())
	}
}

func TestComputeIKMHandComputed(t *testing.T) {
	// Three respondents; the third skipped U4.
	// U1 (4+3+3)/3, U2 (3+3+3)/3=3, U3 (2+3+4)/3=3, U4 (4+4)/2=4, U5..U9 3.
	// Σ NRR = 10/3 + 3 + 3 + 4 + 5×3 = 28.3333…; IKM = 3.148148…; ×25 = 78.7037 → 78.70 B.
	rs := []SKMScores{
		{4, 3, 2, 4, 3, 3, 3, 3, 3},
		{3, 3, 3, 4, 3, 3, 3, 3, 3},
		{3, 3, 4, 0, 3, 3, 3, 3, 3},
	}
	k := ComputeIKM(rs)
	if k.Answered[3] != 2 || k.NRR[3] != 4 {
		t.Errorf("U4: answered %d NRR %v, want 2 and 4 (blank left out of the mean)", k.Answered[3], k.NRR[3])
	}
	if !k.Valid || k.Cents != 7870 || k.Grade != GradeB || k.IndexText() != "78,70" {
		t.Fatalf("got valid %v %d %s", k.Valid, k.Cents, k.Grade)
	}
}

func TestComputeIKMElementNobodyAnswered(t *testing.T) {
	k := ComputeIKM([]SKMScores{{4, 4, 4, 0, 4, 4, 4, 4, 4}, {3, 3, 3, 0, 3, 3, 3, 3, 3}})
	if k.Valid || k.Grade != "" || k.IndexText() != "-" || k.Respondents != 2 {
		t.Fatalf("an element nobody answered must leave the index undefined, got %+v", k)
	}
	if k.NRR[0] != 3.5 {
		t.Errorf("NRR U1 = %v, want 3.5", k.NRR[0])
	}
	if k := ComputeIKM(nil); k.Valid || k.Respondents != 0 {
		t.Errorf("no responses: %+v", k)
	}
}

func TestMinimumSample(t *testing.T) {
	// The Krejcie–Morgan table as the regulation prints it.
	for n, want := range map[int]int{0: 0, 1: 1, 10: 10, 50: 44, 100: 80, 300: 169, 500: 217, 1000: 278, 2000: 322, 10000: 370, 1000000: 384} {
		if got := MinimumSample(n); got != want {
			t.Errorf("MinimumSample(%d) = %d, want %d", n, got, want)
		}
	}
	if !SampleShort(79, 100) || SampleShort(80, 100) {
		t.Error("SampleShort at the 100 → 80 bound")
	}
}

func TestSKMScore(t *testing.T) {
	if got := SKMScore(3, " gratis "); got != 4 {
		t.Errorf("U4 Gratis = %d", got)
	}
	if got := SKMScore(7, "Ada tetapi tidak berfungsi"); got != 2 {
		t.Errorf("U8 = %d", got)
	}
	if SKMScore(0, "lainnya") != 0 || SKMScore(9, "Sesuai") != 0 {
		t.Error("unknown answers score 0")
	}
	names := []string{"Persyaratan", "Sistem, Mekanisme, dan Prosedur", "Waktu Penyelesaian", "Biaya/Tarif",
		"Produk Spesifikasi Jenis Pelayanan", "Kompetensi Pelaksana", "Perilaku Pelaksana",
		"Penanganan Pengaduan, Saran dan Masukan", "Sarana dan Prasarana"}
	for i, e := range SKMElements {
		if e.Name != names[i] || e.Code != "U"+string(rune('1'+i)) {
			t.Errorf("element %d = %s %s, want the regulation's order", i, e.Code, e.Name)
		}
	}
}

func TestGroupIKM(t *testing.T) {
	s := func(topic string, v int) ScoredSurvey {
		return ScoredSurvey{Topic: topic, Scores: SKMScores{v, v, v, v, v, v, v, v, v}}
	}
	gs := GroupIKM([]ScoredSurvey{s("Audit", 4), s("Audit", 3), s("Reviu", 2)},
		func(x ScoredSurvey) string { return x.Topic }, map[string]int{"Audit": 2, "Reviu": 10, "Umum": 4})
	if len(gs) != 3 || gs[0].Key != "Audit" || gs[1].Key != "Reviu" || gs[2].Key != "Umum" {
		t.Fatalf("groups %+v", gs)
	}
	if gs[0].IKM.Cents != 8750 || gs[0].Short || gs[0].MinSample != 2 {
		t.Errorf("Audit: %+v", gs[0])
	}
	if gs[1].IKM.Cents != 5000 || !gs[1].Short || gs[1].MinSample != 10 {
		t.Errorf("Reviu: %+v", gs[1])
	}
	if gs[2].IKM.Valid || gs[2].IKM.Respondents != 0 || !gs[2].Short {
		t.Errorf("Umum without surveys: %+v", gs[2])
	}
}
