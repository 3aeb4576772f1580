package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot"
)

// errHelp ends a command after its --help was printed.
var errHelp = errors.New("help shown")

// parseFlags parses a subcommand's flags, allowing flags after arguments.
func parseFlags(fs *flag.FlagSet, args []string, w io.Writer) ([]string, error) {
	fs.SetOutput(w)
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, exitError{2} // flag has printed the error and the usage
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

func runAsk(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the structured answer as JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hoiphuong ask "câu hỏi" ["câu tiếp theo" …] [--json]

Answers a question; several arguments are turns of one conversation and the
answer to the last one is printed. A turn "@10.77,106.70" is a location pin.`)
		fs.PrintDefaults()
	}
	turns, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return err
	}
	if len(turns) == 0 {
		fs.Usage()
		return exitError{2}
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
	var ans bot.Answer
	for _, t := range turns {
		ans, err = a.service.Handle(ctx, turnMessage(id, "cli", t))
		if err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(ans)
	}
	printAnswer(e.stdout, ans)
	return nil
}

// turnMessage reads "@lat,lon" as a pin and anything else as text.
func turnMessage(id, channel, t string) bot.Message {
	msg := bot.Message{ConversationID: id, Channel: channel, Text: t}
	if strings.HasPrefix(t, "@") {
		var lat, lon float64
		if _, err := fmt.Sscanf(t[1:], "%g,%g", &lat, &lon); err == nil {
			msg.Text = ""
			msg.Location = &bot.Location{Lat: lat, Lon: lon}
		}
	}
	return msg
}

// printAnswer shows an answer as a citizen would read it in a chat.
func printAnswer(w io.Writer, a bot.Answer) {
	fmt.Fprintln(w, a.Text)
	if len(a.Replies) > 0 {
		var labels []string
		for _, r := range a.Replies {
			labels = append(labels, "["+r.Label+"]")
		}
		fmt.Fprintln(w, strings.Join(labels, " "))
	}
	for _, c := range a.Citations {
		if c.URL != "" {
			fmt.Fprintf(w, "  ↳ %s — %s\n", c.Title, c.URL)
		}
	}
}
