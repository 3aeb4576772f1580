package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
)

// TestWebNearestDesk: on a 360×740 phone, "where is the nearest service
// desk?" asks for the location; the shared location lists the nearest
// desks, the first with call and map buttons, the others' map links inline.
func TestWebNearestDesk(t *testing.T) {
	t.Parallel()
	g := startGateway(t, remoteEnv(t))
	ctx := browsertest.New(t, 60*time.Second)
	console := browsertest.WatchConsole(ctx)
	browsertest.Do(t, ctx,
		browsertest.EmulatePhone(),
		chromedp.Navigate(g.url+"/"),
		chromedp.WaitVisible(chromedp.CSS("#messages .reply")),
	)
	browsertest.SetGeolocation(t, ctx, g.url, browser.PermissionSettingGranted, 10.7798, 106.6880) // Phường Xuân Hòa

	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), "trung tam hanh chinh cong gan nhat o dau"), chromedp.Tap(chromedp.ID("send")))
	st := browsertest.WaitBotTurns(t, ctx, 2)
	if !strings.Contains(st.LastBot, "Gửi vị trí") || len(st.Replies) == 0 || st.Replies[0] != "📍 Gửi vị trí" {
		t.Fatalf("asks for the location: bot %q, replies %q", st.LastBot, st.Replies)
	}
	browsertest.Do(t, ctx, chromedp.Tap(chromedp.CSS("#messages .reply")), chromedp.WaitVisible(chromedp.ID("consent-yes")),
		chromedp.Tap(chromedp.ID("consent-yes")))
	st = browsertest.WaitBotTurns(t, ctx, 3)
	for _, want := range []string{"Vị trí bạn gửi thuộc Phường Xuân Hòa.",
		"1. Phường Xuân Hòa (nơi bạn đang đứng): 99 Trần Quốc Thảo (số cũ 101), phường Xuân Hòa — ĐT: 028.39326868 — khoảng ",
		"2. Phường ", "3. Phường ", "Bản đồ: Mở bản đồ", "tâm địa bàn"} {
		if !strings.Contains(st.LastBot, want) {
			t.Errorf("bubble lacks %q:\n%s", want, st.LastBot)
		}
	}
	if strings.Contains(st.LastBot, "https://") || strings.Contains(st.LastBot, "Nguồn:") {
		t.Errorf("raw links or the sources line in the bubble:\n%s", st.LastBot)
	}
	if st.Phone != "tel:02839326868" || !strings.HasPrefix(st.Map, "https://www.google.com/maps/search/?api=1&query=99+Tran+Quoc+Thao") {
		t.Errorf("office buttons: call %q, map %q", st.Phone, st.Map)
	}
	inline := browsertest.Run(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#messages .turn.bot:last-of-type .bubble a'), a => a.href)`))
	if len(inline) != 2 {
		t.Errorf("inline map links = %q, want the other two desks'", inline)
	}
	layout := browsertest.ReadLayout(t, ctx)
	if layout.ScrollWidth > layout.InnerWidth || len(layout.SmallTargets) > 0 {
		t.Errorf("layout: scroll %d > %d, small targets %v", layout.ScrollWidth, layout.InnerWidth, layout.SmallTargets)
	}
	browsertest.Screenshot(t, ctx, "hp-fullstack-360-nearest-desk.png")
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("browser console: %q", errs)
	}
}
