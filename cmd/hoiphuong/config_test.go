package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// The settings of several gateways and search nodes: LEASE_TTL and
// MEILI_URLS, with the errors a mistyped value gets.
func TestConfigGatewaysAndSearchNodes(t *testing.T) {
	tests := []struct {
		name     string
		env      testEnv
		url      string
		replicas []string
		ttl      time.Duration
		err      string
	}{
		{name: "defaults", env: testEnv{}, ttl: 30 * time.Second},
		{name: "three nodes", env: testEnv{"MEILI_URLS": "http://m1:7700/, http://m2:7700,http://m3:7700", "MEILI_MASTER_KEY": "0123456789abcdef", "LEASE_TTL": "10s"},
			url: "http://m1:7700", replicas: []string{"http://m2:7700", "http://m3:7700"}, ttl: 10 * time.Second},
		{name: "both set", env: testEnv{"MEILI_URLS": "http://m1:7700", "MEILI_URL": "http://m0:7700"}, err: "MEILI_URLS: set it or MEILI_URL, not both"},
		{name: "a node without a scheme", env: testEnv{"MEILI_URLS": "http://m1:7700,m2:7700"}, err: `"m2:7700" must start with http://`},
		{name: "a lease too short", env: testEnv{"LEASE_TTL": "100ms"}, err: "LEASE_TTL"},
		{name: "a lease not a duration", env: testEnv{"LEASE_TTL": "30"}, err: "LEASE_TTL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["DATA_DIR"] = t.TempDir()
			c, err := loadConfig(tt.env.getenv, "")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.MeiliURL != tt.url || !slices.Equal(c.MeiliReplicas, tt.replicas) || c.LeaseTTL != tt.ttl {
				t.Errorf("MeiliURL %q, replicas %q, LeaseTTL %s", c.MeiliURL, c.MeiliReplicas, c.LeaseTTL)
			}
		})
	}
}
