package telegram_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/hoiphuong/hoiphuong/bot/telegram"
)

func TestChunk(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"fits", "Phường Bàn Cờ", 20, []string{"Phường Bàn Cờ"}},
		{"empty", "  \n\n ", 20, nil},
		{"paragraphs packed", "aaa\n\nbbb\n\nccc", 8, []string{"aaa\n\nbbb", "ccc"}},
		{"lines when a paragraph is too long", "aaaa\nbbbb\ncccc", 9, []string{"aaaa\nbbbb", "cccc"}},
		{"words", "một hai ba bốn", 7, []string{"một hai", "ba bốn"}},
		{"escaping counts", "a<b", 5, []string{"a<", "b"}}, // "a&lt;" is 5, "a&lt;b" 6
		{"emoji are two UTF-16 units", "😀😀😀", 4, []string{"😀😀", "😀"}},
		{"long word cut between runes", "đđđđđ", 2, []string{"đđ", "đđ", "đ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := telegram.Chunk(tt.text, tt.limit)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("Chunk(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
			}
			for _, c := range got {
				if n := len(utf16.Encode([]rune(telegram.EscapeHTML(c)))); n > tt.limit {
					t.Errorf("chunk %q is %d units escaped", c, n)
				}
			}
		})
	}
}

func TestEscapeHTML(t *testing.T) {
	for in, want := range map[string]string{
		"<script>alert(1)</script>": "&lt;script&gt;alert(1)&lt;/script&gt;",
		"A & B":                     "A &amp; B",
		"&amp;":                     "&amp;amp;",
		`"quotes" 'stay' *_~`:       `"quotes" 'stay' *_~`,
		"Phường Sài Gòn":            "Phường Sài Gòn",
	} {
		if got := telegram.EscapeHTML(in); got != want {
			t.Errorf("EscapeHTML(%q) = %q, want %q", in, got, want)
		}
	}
}
