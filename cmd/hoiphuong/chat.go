package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"
)

func runChat(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hoiphuong chat

Chat with the bot in the terminal. Type a question and press Enter; a line
"@10.77,106.70" sends a location pin; a number picks a suggested reply;
"/moi" starts a new conversation; Ctrl-D or "/thoat" quits.`)
	}
	if _, err := parseFlags(fs, args, e.stderr); err != nil {
		return err
	}
	a, err := openApp(ctx, e, appOptions{quiet: true, scratch: true})
	if err != nil {
		return err
	}
	defer a.close()
	id, err := a.service.Start(ctx, "cli")
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "Hỏi Phường — gõ câu hỏi rồi Enter (\"/thoat\" để thoát).")
	in := bufio.NewScanner(e.stdin)
	var replies []string
	for {
		fmt.Fprint(e.stdout, "\n> ")
		if !in.Scan() {
			fmt.Fprintln(e.stdout)
			return in.Err()
		}
		line := strings.TrimSpace(in.Text())
		switch {
		case line == "":
			continue
		case line == "/thoat" || line == "/quit":
			return nil
		case line == "/moi":
			if id, err = a.service.Start(ctx, "cli"); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "(cuộc trò chuyện mới)")
			continue
		}
		var n int
		if _, err := fmt.Sscan(line, &n); err == nil && n >= 1 && n <= len(replies) && fmt.Sprint(n) == line {
			line = replies[n-1]
		}
		ans, err := a.service.Handle(ctx, turnMessage(id, "cli", line))
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout)
		fmt.Fprintln(e.stdout, ans.Text)
		replies = replies[:0]
		for i, r := range ans.Replies {
			fmt.Fprintf(e.stdout, "  %d) %s\n", i+1, r.Label)
			replies = append(replies, r.Payload)
		}
	}
}
