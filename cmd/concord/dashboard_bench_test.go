package main

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
	"github.com/google/uuid"
)

// BenchmarkDashboardRefresh is what a lead's agreement dashboard waits for
// after a coding on a project of the size (1,000 documents of
// 50,000 characters, 5 coders, 100 codes, 200,000 codings): the coding is
// committed, then the dashboard's live refresh (characters, no bootstrap)
// is computed and sent by the real server. The dashboard asks 250 ms after
// the event arrives, so it shows the change within that plus one op.
func BenchmarkDashboardRefresh(b *testing.B) {
	ts := startServer(b, "--max-body", "1048576")
	lead := ts.login(b, "lead", DemoPassword)
	var me struct{ User coding.User }
	lead.mustDo(200, "GET", "/api/me", nil, &me)
	snap, coders := largeProject(me.User.ID)
	start := time.Now()
	if err := ts.Store.ImportProject(snap, me.User.ID); err != nil {
		b.Fatal(err)
	}
	b.Logf("imported %d codings in %v", len(snap.Codings), time.Since(start))
	rng := rand.New(rand.NewSource(2))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := snap.Documents[rng.Intn(len(snap.Documents))]
		s := rng.Intn(49_000)
		c := &coding.Coding{ProjectID: snap.Project.ID, DocumentID: d.ID, CodeID: snap.Codes[20+rng.Intn(80)].ID, CoderID: coders[rng.Intn(len(coders))], Start: s, End: s + 1 + rng.Intn(500)}
		if _, err := ts.Store.AddCoding(c, c.CoderID); err != nil {
			b.Fatal(err)
		}
		lead.mustDo(200, "GET", "/api/projects/large/agreement?unit=characters&bootstrap=0", nil, nil)
	}
}

// largeProject builds the agreement benchmark's project: every coder
// codes the same 40,000 passages, with boundaries moved by up to 40
// characters and now and then a neighbouring code.
func largeProject(lead string) (*store.Snapshot, []string) {
	rng := rand.New(rand.NewSource(1))
	p := coding.Project{ID: uuid.NewString(), Slug: "large", Name: "Large project"}
	snap := &store.Snapshot{Project: p, Lead: lead}
	var coders []string
	for i := 0; i < 5; i++ {
		u := coding.User{ID: uuid.NewString(), Login: fmt.Sprintf("large-coder-%d", i), Name: fmt.Sprintf("Coder %d", i)}
		snap.Users = append(snap.Users, u)
		snap.Members = append(snap.Members, coding.Member{UserID: u.ID, Role: coding.RoleCoder})
		coders = append(coders, u.ID)
	}
	text := strings.Repeat("Peer workers bring lived experience to the work. ", 1100)[:50_000]
	for i := 0; i < 1000; i++ {
		snap.Documents = append(snap.Documents, coding.Document{ID: uuid.NewString(), ProjectID: p.ID, Title: fmt.Sprintf("Transcript %d", i), Text: text})
	}
	for i := 0; i < 100; i++ {
		c := coding.Code{ID: uuid.NewString(), ProjectID: p.ID, Name: fmt.Sprintf("Code %d", i), Codable: i >= 10}
		if i >= 20 {
			c.ParentID = snap.Codes[(i-20)/9].ID // ten categories of codes
		}
		snap.Codes = append(snap.Codes, c)
	}
	for n := 0; n < 40_000; n++ {
		d := snap.Documents[n/40]
		base, code := (n%40)*1200+50, 20+rng.Intn(80)
		for _, coder := range coders {
			s := max(0, base+rng.Intn(81)-40)
			e := min(50_000, s+300+rng.Intn(81)-40)
			cc := code
			if rng.Intn(10) == 0 {
				cc = 20 + (code-20+1)%80
			}
			snap.Codings = append(snap.Codings, coding.Coding{ID: uuid.NewString(), ProjectID: p.ID, DocumentID: d.ID, CodeID: snap.Codes[cc].ID, CoderID: coder, Start: s, End: e})
		}
	}
	return snap, coders
}
