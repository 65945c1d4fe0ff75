package rules

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestAssign(t *testing.T) {
	cfg := validConfig(t)
	audit, _ := cfg.Topic(TopicAudit)
	reviu, _ := cfg.Topic(TopicReviu)
	day := Date{Year: 2026, Month: time.April, Day: 13}
	ani := Consultant{Name: "Ani", Email: "ani@x.go.id", Topics: []string{TopicAudit}, Active: true}
	budi := Consultant{Name: "Budi", Email: "budi@x.go.id", Topics: []string{"audit", "reviu"}, Active: true, MaxOpen: 2}
	cici := Consultant{Name: "Cici", Email: "cici@x.go.id", Topics: []string{TopicAudit}, Active: true}
	earlier, later := at("2026-04-10 09:00"), at("2026-04-10 10:00")
	tests := []struct {
		name   string
		roster []Consultant
		topic  Topic
		loads  map[string]Workload
		want   string // email, or "" for unassigned
		reason string // substring of the reason
	}{
		{"least open first", []Consultant{ani, budi}, audit,
			map[string]Workload{"ani@x.go.id": {Open: 2}, "budi@x.go.id": {Open: 1}}, "budi@x.go.id", ""},
		{"round robin among equals: oldest last assignment", []Consultant{ani, cici}, audit,
			map[string]Workload{"ani@x.go.id": {Open: 1, LastAssigned: later}, "cici@x.go.id": {Open: 1, LastAssigned: earlier}}, "cici@x.go.id", ""},
		{"never assigned goes first", []Consultant{ani, cici}, audit,
			map[string]Workload{"ani@x.go.id": {LastAssigned: earlier}}, "cici@x.go.id", ""},
		{"full tie broken by email", []Consultant{cici, ani}, audit, nil, "ani@x.go.id", ""},
		{"email keys are case-insensitive", []Consultant{{Name: "Ani", Email: "Ani@X.go.id", Topics: []string{"Audit"}, Active: true}, cici}, audit,
			map[string]Workload{"ani@x.go.id": {Open: 3}}, "cici@x.go.id", ""},
		{"topic by code with its comma-named sibling", []Consultant{ani, budi}, reviu, nil, "budi@x.go.id", ""},
		{"max open respected", []Consultant{budi}, audit, map[string]Workload{"budi@x.go.id": {Open: 2}}, "", "1 sudah mencapai batas"},
		{"on leave skipped (inclusive last day)", []Consultant{{Name: "Ani", Email: "ani@x.go.id", Topics: []string{TopicAudit}, Active: true, OnLeaveUntil: day}, cici}, audit,
			map[string]Workload{"cici@x.go.id": {Open: 5}}, "cici@x.go.id", ""},
		{"back from leave", []Consultant{{Name: "Ani", Email: "ani@x.go.id", Topics: []string{TopicAudit}, Active: true, OnLeaveUntil: day.AddDays(-1)}}, audit, nil, "ani@x.go.id", ""},
		{"inactive and on leave", []Consultant{{Email: "a@x.id", Topics: []string{"audit"}}, {Email: "b@x.id", Topics: []string{"audit"}, Active: true, OnLeaveUntil: day.AddDays(3)}}, audit, nil, "",
			`topik "Audit" (1 tidak aktif, 1 sedang cuti)`},
		{"nobody for the topic", []Consultant{ani}, reviu, nil, "", "Belum ada konsuler untuk topik \"Reviu, monitoring dan evaluasi\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Assign(tt.roster, tt.topic, tt.loads, day)
			if tt.want != "" {
				if !got.OK || got.Consultant.Email != tt.want && !strings.EqualFold(got.Consultant.Email, tt.want) {
					t.Fatalf("got %+v, want %s", got, tt.want)
				}
				return
			}
			if got.OK || !strings.Contains(got.Reason, tt.reason) {
				t.Fatalf("got %+v, want unassigned with %q", got, tt.reason)
			}
		})
	}
}

func TestAssignRotates(t *testing.T) {
	cfg := validConfig(t)
	audit, _ := cfg.Topic("audit")
	roster := []Consultant{
		{Name: "A", Email: "a@x.id", Topics: []string{"audit"}, Active: true},
		{Name: "B", Email: "b@x.id", Topics: []string{"audit"}, Active: true},
		{Name: "C", Email: "c@x.id", Topics: []string{"audit"}, Active: true},
	}
	var cases []Case
	var order []string
	now := at("2026-04-13 08:00")
	for i := 0; i < 6; i++ {
		a := Assign(roster, audit, Workloads(cases), DateOf(now))
		order = append(order, a.Consultant.Name)
		// Each answered immediately: open counts stay equal, rotation comes from AssignedAt.
		cases = append(cases, Case{ConsultantEmail: a.Consultant.Email, AssignedAt: now, Status: StatusTerkirim})
		now = now.Add(10 * time.Minute)
	}
	if want := []string{"A", "B", "C", "A", "B", "C"}; !reflect.DeepEqual(order, want) {
		t.Errorf("rotation = %v, want %v", order, want)
	}
}

func TestParseTopicList(t *testing.T) {
	topics := DefaultTopics()
	tests := []struct {
		cell    string
		names   []string
		unknown []string
	}{
		{"Audit, Reviu, monitoring dan evaluasi", []string{TopicAudit, TopicReviu}, nil},
		{"reviu, monitoring dan evaluasi; Tindak lanjut hasil pemeriksaan", []string{TopicReviu, TopicTindakLanjut}, nil},
		{"umum, tlhp", []string{TopicUmum, TopicTindakLanjut}, nil},
		{"Audit\nPengadaan", []string{TopicAudit}, []string{"pengadaan"}},
		{"", nil, nil},
		{"auditor, Audit", []string{TopicAudit}, []string{"auditor"}},
	}
	for _, tt := range tests {
		names, unknown := ParseTopicList(tt.cell, topics)
		if !reflect.DeepEqual(names, tt.names) || !reflect.DeepEqual(unknown, tt.unknown) {
			t.Errorf("ParseTopicList(%q) = %v %v, want %v %v", tt.cell, names, unknown, tt.names, tt.unknown)
		}
	}
}
