package browsertest

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// SetGeolocation grants (or denies) the page at origin the location and
// makes the browser report lat, lon, as a phone's GPS would.
func SetGeolocation(t testing.TB, ctx context.Context, origin string, setting browser.PermissionSetting, lat, lon float64) {
	t.Helper()
	if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: setting, Origin: origin,
	}); err != nil {
		t.Fatalf("set geolocation permission: %v", err)
	}
	accuracy := 10.0
	if _, err := chromedp.Call(ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{
		Latitude: &lat, Longitude: &lon, Accuracy: &accuracy,
	}); err != nil {
		t.Fatalf("set geolocation: %v", err)
	}
}
