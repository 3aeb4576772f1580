package instance_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/instance"
)

// A second hold on the same folder is refused with the holder's pid; once
// released, the folder can be taken again; another folder is free.
func TestOneGatewayPerDataFolder(t *testing.T) {
	dir := t.TempDir()
	first, err := instance.Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = instance.Acquire(dir)
	if !errors.Is(err, instance.ErrRunning) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Fatalf("second Acquire = %v, want ErrRunning naming pid %d", err, os.Getpid())
	}
	other, err := instance.Acquire(t.TempDir())
	if err != nil {
		t.Fatalf("another folder: %v", err)
	}
	_ = other.Release()
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := instance.Acquire(dir)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	_ = again.Release()
}
