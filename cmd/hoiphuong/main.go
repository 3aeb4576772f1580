// Command hoiphuong is the Hỏi Phường gateway: it answers citizens'
// questions about which new ward or commune of Ho Chi Minh City handles
// their matter, over a web chat and (later) Zalo and Telegram.
//
// main only wires: configuration, storage, search, engine, HTTP.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, env *env, args []string) error
}

// env is what every subcommand gets.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func commands() []command {
	return []command{
		{"serve", "", "run the gateway: web chat, API, health and metrics on HTTP_ADDR", runServe},
		{"chat", "", "chat with the bot in the terminal", runChat},
		{"ask", `"câu hỏi" ["câu tiếp theo" …] [--json]`, "answer one question (several arguments are turns of one conversation)", runAsk},
		{"index", "", "rebuild the Meilisearch indexes from the knowledge base", runIndex},
		{"eval", "FILE.jsonl [--min-pass 0.95] [--by-kind]", "run a citizen-conversation test set and report failures", runEval},
		{"bench", "[--json] [--duration 5s] [--updates 20000]", "measure engine, API, Meilisearch, Telegram webhook, index build and memory", runBench},
		{"bench-load", "", "the bench's webhook load generator (bench starts it; JSON lines on stdin and stdout)", runBenchLoad},
		{"channels", "check|setup", "check each channel's credentials, or register its webhook at PUBLIC_BASE_URL", runChannels},
		{"install", "", "make sure the pinned Meilisearch binary is installed (./bin)", runInstall},
		{"admin", "create-user|list-users|set-password [flags]", "manage the staff consoles' accounts (password on stdin or HP_ADMIN_PASSWORD)", runAdmin},
		{"outbox", "list|resend ID…|drop ID…", "messages held in doubt after a kill (OUTBOX_IN_DOUBT=hold): list, resend or drop them", runOutbox},
	}
}

// exitError carries an exit code for failures that are already reported.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		if err := c.run(ctx, e, args[1:]); err != nil {
			if ee, ok := err.(exitError); ok {
				return ee.code
			}
			if err == errHelp {
				return 0
			}
			fmt.Fprintf(stderr, "hoiphuong %s: %v\n", c.name, err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "hoiphuong: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Hỏi Phường — which new HCMC ward handles your matter.")
	fmt.Fprintln(w, "\nUsage: hoiphuong <command> [arguments]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-6s %s\n         %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nConfiguration comes from the environment and .env (see .env.example).")
	fmt.Fprintln(w, "Run 'hoiphuong <command> --help' for a command's flags.")
}
