package bot

import "testing"

// NewServiceForTest exposes the in-memory test service to external tests.
func NewServiceForTest(t testing.TB) *Service { return newTestService(t) }
