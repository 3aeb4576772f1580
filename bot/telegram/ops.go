package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Operator tools (hoiphuong channels): they need only the token and the
// API URL, no database or running gateway.

// CheckToken asks the Bot API who the bot is (getMe) and returns its
// username: the token works.
func CheckToken(ctx context.Context, token, apiURL string) (string, error) {
	api, err := operatorBot(ctx, token, apiURL)
	if err != nil {
		return "", err
	}
	return api.Self.UserName, nil
}

// RegisterWebhook registers baseURL + WebhookPath with the secret_token (and
// the update kinds the gateway handles) and returns the registered URL.
func RegisterWebhook(ctx context.Context, token, apiURL, baseURL, secret string) (string, error) {
	if secret == "" {
		return "", errors.New("telegram: a webhook needs a secret")
	}
	api, err := operatorBot(ctx, token, apiURL)
	if err != nil {
		return "", err
	}
	url := strings.TrimRight(baseURL, "/") + WebhookPath
	if _, err := api.MakeRequest("setWebhook", tgbotapi.Params{
		"url":             url,
		"secret_token":    secret,
		"allowed_updates": allowedUpdates,
		"max_connections": "40",
	}); err != nil {
		return "", fmt.Errorf("telegram: setWebhook: %w", err)
	}
	return url, nil
}

// operatorBot constructs the library's client, which calls getMe.
func operatorBot(ctx context.Context, token, apiURL string) (*tgbotapi.BotAPI, error) {
	apiURL = strings.TrimRight(apiURL, "/")
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	if strings.Contains(apiURL, "%") {
		return nil, errors.New("telegram: API URL must not contain '%'")
	}
	client := ctxClient{ctx, &http.Client{Timeout: 10 * time.Second}, token}
	api, err := tgbotapi.NewBotAPIWithClient(token, apiURL+"/bot%s/%s", client)
	if err != nil {
		return nil, fmt.Errorf("telegram: getMe: %w", err)
	}
	return api, nil
}
