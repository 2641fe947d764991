<?php
// Ask a zego-token service for a ZEGO token04, as an app's backend does before handing
// the token to its client. PHP 8 with its built-in HTTP stream wrapper, no extensions.
//
//   TOKEN_SERVICE_URL=http://127.0.0.1:8080 TOKEN_SERVICE_API_KEY=... php token_client.php USER_ID [ROOM_ID]
//
// Prints the service's JSON answer on stdout. 429 is retried after Retry-After, 408,
// 5xx and network errors after a short backoff (3 attempts in all); any other refusal
// is final: exit 1 with the service's status, code and message on stderr.

declare(strict_types=1);

/** A refusal of the service (status 0: no answer). */
final class ZegoTokenServiceError extends RuntimeException
{
    private const RETRYABLE = [0, 408, 429, 500, 502, 503, 504];

    public function __construct(
        public readonly int $status,
        public readonly string $errorCode,
        string $message,
        public readonly ?int $retryAfter = null,
    ) {
        parent::__construct($status === 0 ? $message : "token service refused: $status $errorCode: $message");
    }

    public function retryable(): bool
    {
        return in_array($this->status, self::RETRYABLE, true);
    }
}

/** One POST /v1/token. */
function zego_token_once(string $baseUrl, string $apiKey, array $body): array
{
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Authorization: Bearer $apiKey\r\nContent-Type: application/json\r\n",
        'content' => json_encode($body, JSON_THROW_ON_ERROR),
        'timeout' => 10,
        'ignore_errors' => true, // read 4xx/5xx bodies instead of failing
    ]]);
    $raw = @file_get_contents(rtrim($baseUrl, '/') . '/v1/token', false, $context);
    // PHP 8.2 fills $http_response_header; 8.4 adds http_get_last_response_headers().
    $headers = $http_response_header ?? [];
    if ($raw === false || $headers === []) {
        $why = error_get_last()['message'] ?? 'no answer';
        throw new ZegoTokenServiceError(0, 'network', "token service unreachable: $why");
    }
    preg_match('{^HTTP/\S+ (\d{3})}', $headers[0], $m);
    $status = (int) ($m[1] ?? 0);
    $answer = json_decode($raw, true);
    if ($status === 200 && is_array($answer) && is_string($answer['token'] ?? null)) {
        return $answer;
    }
    $retryAfter = null;
    foreach ($headers as $h) {
        if (preg_match('{^Retry-After:\s*(\d+)\s*$}i', $h, $r)) {
            $retryAfter = (int) $r[1];
        }
    }
    throw new ZegoTokenServiceError(
        $status,
        is_array($answer) ? (string) ($answer['error']['code'] ?? "http_$status") : "http_$status",
        is_array($answer) ? (string) ($answer['error']['message'] ?? $headers[0]) : $headers[0],
        $retryAfter,
    );
}

/** POST /v1/token for $userId (a privilege token when $roomId is given), with retries. */
function zego_fetch_token(string $baseUrl, string $apiKey, string $userId, ?string $roomId = null, int $attempts = 3): array
{
    $body = ['user_id' => $userId];
    if ($roomId !== null) {
        $body['room_id'] = $roomId;
    }
    $backoff = 1;
    for ($attempt = 1; ; $attempt++) {
        try {
            return zego_token_once($baseUrl, $apiKey, $body);
        } catch (ZegoTokenServiceError $e) {
            if (!$e->retryable() || $attempt >= $attempts) {
                throw $e;
            }
            $wait = $e->retryAfter ?? $backoff;
            fwrite(STDERR, "retrying in $wait s: {$e->getMessage()}\n");
            sleep($wait);
            $backoff *= 2;
        }
    }
}

if (PHP_SAPI === 'cli' && realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    $args = array_slice($argv, 1);
    $url = getenv('TOKEN_SERVICE_URL');
    $key = getenv('TOKEN_SERVICE_API_KEY');
    if (count($args) < 1 || count($args) > 2) {
        fwrite(STDERR, "usage: token_client.php USER_ID [ROOM_ID]  (env: TOKEN_SERVICE_URL, TOKEN_SERVICE_API_KEY)\n");
        exit(2);
    }
    if ($url === false || $url === '' || $key === false || $key === '') {
        fwrite(STDERR, "token_client: set TOKEN_SERVICE_URL and TOKEN_SERVICE_API_KEY\n");
        exit(2);
    }
    try {
        echo json_encode(zego_fetch_token($url, $key, $args[0], $args[1] ?? null), JSON_UNESCAPED_SLASHES), "\n";
    } catch (ZegoTokenServiceError $e) {
        fwrite(STDERR, "token_client: {$e->getMessage()}\n");
        exit(1);
    }
}
