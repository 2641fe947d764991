// Command token-client asks a zego-token service for a ZEGO token04, as an app's backend
// does before handing the token to its client. Standard library only (net/http).
//
//	TOKEN_SERVICE_URL=http://127.0.0.1:8080 TOKEN_SERVICE_API_KEY=... go run . USER_ID [ROOM_ID]
//
// It prints the service's JSON answer on stdout. 429 is retried after Retry-After, 408,
// 5xx and network errors after a short backoff (3 attempts in all); any other refusal
// is final: exit 1 with the service's status, code and message on stderr.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

// TokenRequest is the body of POST /v1/token (see the service's OpenAPI document).
type TokenRequest struct {
	UserID     string `json:"user_id"`
	RoomID     string `json:"room_id,omitempty"`
	TTLSeconds int64  `json:"ttl_seconds,omitempty"`
}

// TokenResponse is the part of the answer an app uses.
type TokenResponse struct {
	Token      string `json:"token"`
	AppID      uint32 `json:"app_id"`
	UserID     string `json:"user_id"`
	Expire     int64  `json:"expire"`
	ExpiresIn  int64  `json:"expires_in"`
	RenewAfter int64  `json:"renew_after"`
}

// ServiceError is a refusal of the service: its HTTP status and error code.
type ServiceError struct {
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration // from Retry-After, 0 if absent
}

func (e *ServiceError) Error() string {
	return fmt.Sprintf("token service refused: %d %s: %s", e.Status, e.Code, e.Message)
}

// Retryable says whether asking again later can succeed.
func (e *ServiceError) Retryable() bool {
	return e.Status == http.StatusRequestTimeout || e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// Client calls one token service with one API key.
type Client struct {
	BaseURL  string
	APIKey   string
	HTTP     *http.Client
	Attempts int           // default 3
	Backoff  time.Duration // first wait without Retry-After; default 1 s, doubled each time
	Log      io.Writer     // retries are reported here; nil: silent
}

// Token asks for one token, retrying what is retryable.
func (c *Client) Token(ctx context.Context, req TokenRequest) (*TokenResponse, error) {
	attempts, backoff := c.Attempts, c.Backoff
	if attempts <= 0 {
		attempts = 3
	}
	if backoff <= 0 {
		backoff = time.Second
	}
	for attempt := 1; ; attempt++ {
		resp, err := c.once(ctx, req)
		if err == nil {
			return resp, nil
		}
		var se *ServiceError
		wait := backoff
		switch {
		case errors.As(err, &se) && !se.Retryable():
			return nil, err
		case errors.As(err, &se) && se.RetryAfter > 0:
			wait = se.RetryAfter
		case ctx.Err() != nil:
			return nil, err
		}
		if attempt >= attempts {
			return nil, err
		}
		if c.Log != nil {
			fmt.Fprintf(c.Log, "retrying in %s: %v\n", wait, err)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		backoff *= 2
	}
}

func (c *Client) once(ctx context.Context, req TokenRequest) (*TokenResponse, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/v1/token", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	httpReq.Header.Set("Authorization", "Bearer "+c.APIKey)
	httpReq.Header.Set("Content-Type", "application/json")
	client := c.HTTP
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(httpReq)
	if err != nil {
		return nil, fmt.Errorf("token service unreachable: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	if resp.StatusCode == http.StatusOK {
		var out TokenResponse
		if err := json.Unmarshal(raw, &out); err != nil || out.Token == "" {
			return nil, fmt.Errorf("the answer holds no token: %.200s", raw)
		}
		return &out, nil
	}
	var envelope struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	se := &ServiceError{Status: resp.StatusCode, Code: "http_" + strconv.Itoa(resp.StatusCode), Message: resp.Status}
	if json.Unmarshal(raw, &envelope) == nil && envelope.Error.Code != "" {
		se.Code, se.Message = envelope.Error.Code, envelope.Error.Message
	}
	if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs >= 0 {
		se.RetryAfter = time.Duration(secs) * time.Second
	}
	return nil, se
}

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: token-client USER_ID [ROOM_ID]  (env: TOKEN_SERVICE_URL, TOKEN_SERVICE_API_KEY)")
		os.Exit(2)
	}
	client := &Client{BaseURL: os.Getenv("TOKEN_SERVICE_URL"), APIKey: os.Getenv("TOKEN_SERVICE_API_KEY"), Log: os.Stderr}
	if client.BaseURL == "" || client.APIKey == "" {
		fmt.Fprintln(os.Stderr, "token-client: set TOKEN_SERVICE_URL and TOKEN_SERVICE_API_KEY")
		os.Exit(2)
	}
	req := TokenRequest{UserID: os.Args[1]}
	if len(os.Args) == 3 {
		req.RoomID = os.Args[2]
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	resp, err := client.Token(ctx, req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "token-client:", err)
		os.Exit(1)
	}
	out, _ := json.Marshal(resp)
	fmt.Println(string(out))
}
