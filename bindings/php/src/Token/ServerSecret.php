<?php

declare(strict_types=1);

namespace ZEGO\Token;

use FFI\CData;

/**
 * A ZEGO ServerSecret, validated and with its AES keys prepared once, held inside the C
 * library (zeroized there when freed). PHP keeps no copy of the secret: this object holds
 * only an opaque handle, so var_dump(), print_r(), var_export() and exceptions never show
 * it; it cannot be serialized or cloned.
 *
 * The handle is freed by close() or when the object is destroyed. One object can serve
 * any number of calls; under a threaded PHP (ZTS) it may be shared between threads.
 */
final class ServerSecret
{
    /** @var CData|null ZegoTokenSecret* */
    private $handle;

    /**
     * @param string $secret the 32-character ServerSecret from ZEGO's console
     *
     * @throws InvalidInputException (field "secret", official code 5) when it is not 32 bytes
     */
    public function __construct(
        #[\SensitiveParameter]
        string $secret
    ) {
        $ffi = Native::$ffi ?? Native::load();
        $out = $ffi->new('ZegoTokenSecret*[1]');
        $status = $ffi->zego_token_secret_new($secret, strlen($secret), $out, Native::$err);
        if ($status !== Native::OK) {
            throw Native::exception($status);
        }
        $this->handle = $out[0];
    }

    /**
     * Generates an AES-GCM token04 at the system clock's time: the fast path. For the
     * mode, a fixed creation time, the chosen values and the SDK-rule warnings, use
     * generateWith().
     *
     * @param int $appId the app (1 to 4294967295)
     * @param string $userId the user (non-empty, under 64 bytes)
     * @param int $effectiveTimeInSeconds the lifetime in seconds (above 0)
     * @param string|RoomPayload $payload '' for a basic token, a RoomPayload (or its JSON) for a privilege token
     *
     * @throws InvalidInputException when an input breaks a rule
     */
    public function generate(int $appId, string $userId, int $effectiveTimeInSeconds, $payload = ''): string
    {
        // The common case is checked inline: each PHP call costs a measurable share of a token.
        $handle = $this->handle ?? $this->handle();
        if ($appId < 0 || $appId > 4294967295) {
            Args::appId($appId);
        }
        $payloadText = is_string($payload) ? $payload : Args::payload($payload);
        $ffi = Native::$ffi;
        $status = $ffi->zego_token_generate($handle, $appId, $userId, strlen($userId), $effectiveTimeInSeconds, $payloadText, strlen($payloadText), Native::MODE_GCM, Native::$generatedOut, Native::$err);
        if ($status !== Native::OK) {
            throw Native::exception($status);
        }
        $g = Native::$generatedOut[0];
        $t = $g->token;
        $token = \FFI::string($t->ptr, $t->len);
        $ffi->zego_token_generated_free($g);
        return $token;
    }

    /**
     * Generates a token04 with options, and returns it with the values chosen for it
     * and the SDK-rule warnings.
     *
     * @param string|RoomPayload $payload '' for a basic token, a RoomPayload (or its JSON) for a privilege token
     * @param string $mode CipherMode::GCM (default) or CipherMode::CBC (legacy)
     * @param int|null $ctime a fixed creation time (Unix seconds) instead of the clock
     *
     * @throws InvalidInputException when an input breaks a rule
     */
    public function generateWith(int $appId, string $userId, int $effectiveTimeInSeconds, $payload = '', string $mode = CipherMode::GCM, ?int $ctime = null): GeneratedToken
    {
        $handle = $this->handle ?? $this->handle();
        Args::appId($appId);
        $payloadText = Args::payload($payload);
        $modeValue = Args::mode($mode);
        $ffi = Native::$ffi;
        $out = Native::$generatedOut;
        $status = $ctime === null
            ? $ffi->zego_token_generate($handle, $appId, $userId, strlen($userId), $effectiveTimeInSeconds, $payloadText, strlen($payloadText), $modeValue, $out, Native::$err)
            : $ffi->zego_token_generate_at($handle, $appId, $userId, strlen($userId), $effectiveTimeInSeconds, $payloadText, strlen($payloadText), $modeValue, $ctime, $out, Native::$err);
        if ($status !== Native::OK) {
            throw Native::exception($status);
        }
        $g = $out[0];
        try {
            return new GeneratedToken(Native::str($g->token), $g->ctime, $g->expire, $g->nonce, Native::modeName($g->mode),
                $g->warning_count === 0 ? [] : Native::warnings($g->warnings, $g->warning_count));
        } finally {
            $ffi->zego_token_generated_free($g);
        }
    }

    /**
     * Generates a token04 and wraps it as a kit token for ZEGO's prebuilt UIKits
     * (`token04 + "#" + base64(JSON)`). With a room check enabled for the app, pass a
     * RoomPayload for $roomId as $payload.
     *
     * @param string|RoomPayload $payload
     *
     * @throws InvalidInputException
     */
    public function kitToken(int $appId, string $userId, string $roomId, string $userName, int $effectiveTimeInSeconds, $payload = ''): string
    {
        return Token::kitToken($this->generate($appId, $userId, $effectiveTimeInSeconds, $payload), $appId, $userId, $roomId, $userName);
    }

    /**
     * Decrypts a token and returns its claims without judging them (no expiry, app or
     * user check: that is verify()).
     *
     * @throws InvalidTokenException when it is not a token04 or cannot be decrypted with this secret
     */
    public function decode(string $token): DecodedToken
    {
        $handle = $this->handle ?? $this->handle();
        $status = Native::$ffi->zego_token_decode($handle, $token, strlen($token), Native::$decodedOut, Native::$err);
        if ($status !== Native::OK) {
            throw Native::exception($status);
        }
        return DecodedToken::take(Native::$decodedOut[0]);
    }

    /**
     * Decrypts a token and checks it as ZEGO's server would (app, user, expiry, creation
     * time, room, privileges, stream).
     *
     * @throws InvalidTokenException with the reason (getKind()) and ZEGO's codes when a check fails
     */
    public function verify(string $token, Validation $validation): DecodedToken
    {
        $handle = $this->handle ?? $this->handle();
        $ffi = Native::$ffi;
        $keep = [];
        $v = $validation->toNative($ffi, $keep);
        $status = $ffi->zego_token_verify($handle, $token, strlen($token), \FFI::addr($v), Native::$decodedOut, Native::$err);
        if ($status !== Native::OK) {
            throw Native::exception($status);
        }
        return DecodedToken::take(Native::$decodedOut[0]);
    }

    /**
     * Frees the handle now (zeroizing the key material); later calls throw. Idempotent.
     */
    public function close(): void
    {
        // Native::$ffi is null only if PHP's shutdown freed the library's FFI object
        // first; the process is ending then and the handle dies with it.
        if ($this->handle !== null && Native::$ffi !== null) {
            Native::$ffi->zego_token_secret_free($this->handle);
        }
        $this->handle = null;
    }

    public function isClosed(): bool
    {
        return $this->handle === null;
    }

    public function __destruct()
    {
        $this->close();
    }

    /** @return array<string, mixed> */
    public function __debugInfo(): array
    {
        return ['secret' => '<redacted>', 'closed' => $this->handle === null];
    }

    /** @throws \LogicException always: a ServerSecret is never serialized */
    public function __serialize(): array
    {
        throw new \LogicException('a ServerSecret cannot be serialized; keep the secret in your configuration and build a new ServerSecret');
    }

    /** @param array<mixed> $data */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('a ServerSecret cannot be unserialized');
    }

    /** @throws \LogicException always: two objects would free one handle */
    public function __clone()
    {
        // The copy exists already and is destroyed when this throws: it must not free
        // the original's handle.
        $this->handle = null;
        throw new \LogicException('a ServerSecret cannot be cloned; share the object instead');
    }

    /** Called when the handle is gone: always throws (PHP 7.4 has no `never` type). */
    private function handle(): CData
    {
        throw new \LogicException('this ServerSecret was closed');
    }
}
