package main

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/go-chi/chi/v5"
	_ "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	_ "github.com/joho/godotenv"
	_ "github.com/meilisearch/meilisearch-go"
	_ "github.com/paulmach/orb"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/sashabaranov/go-openai"
	_ "golang.org/x/text/unicode/norm"
	_ "modernc.org/sqlite"
)

func main() {}
