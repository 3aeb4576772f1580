package store

import (
	"encoding/json"
	"fmt"
)

// Lists (aliases, resolutions, …) are stored as JSON text: "null" for a nil
// list, so that a KB reads back exactly as it was saved.
func encodeList(v []string) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode list: %w", err)
	}
	return string(b), nil
}

func decodeList(s string) ([]string, error) {
	var v []string
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("decode list %q: %w", s, err)
	}
	return v, nil
}
