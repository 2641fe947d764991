<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * Why a zego-token call failed. The message says what was wrong and what was expected;
 * it never contains the ServerSecret.
 *
 * Catch InvalidInputException for a wrong generator input (a caller mistake) and
 * InvalidTokenException for a token that was refused; this class itself is thrown
 * alone only for an internal library error (kind "internal").
 */
class TokenException extends \RuntimeException
{
    /** @var string */
    private $kind;
    /** @var int */
    private $status;
    /** @var string|null */
    private $field;
    /** @var int|null */
    private $officialCode;
    /** @var int|null */
    private $zegoCode;
    /** @var int|null */
    private $zimCode;
    /** @var string */
    private $advice;

    /**
     * @internal built from the C library's error
     */
    public function __construct(string $message, string $kind, int $status, ?string $field, int $officialCode, int $zegoCode, int $zimCode, string $advice)
    {
        parent::__construct($message, $status);
        $this->kind = $kind;
        $this->status = $status;
        $this->field = $field;
        $this->officialCode = $officialCode === 0 ? null : $officialCode;
        $this->zegoCode = $zegoCode === 0 ? null : $zegoCode;
        $this->zimCode = $zimCode === 0 ? null : $zimCode;
        $this->advice = $advice;
    }

    /**
     * The stable reason: "invalid_input", "invalid_argument", "wrong_version",
     * "malformed", "decrypt", "invalid_claims", "invalid_payload", "expired",
     * "not_yet_valid", "app_id_mismatch", "user_id_mismatch", "room_mismatch",
     * "privilege_missing", "stream_not_allowed", "internal".
     */
    public function getKind(): string
    {
        return $this->kind;
    }

    /** The input at fault for "invalid_input" ("app_id", "user_id", "secret", ...), else null. */
    public function getField(): ?string
    {
        return $this->field;
    }

    /** The official generators' code (1 app_id, 3 user_id, 5 secret, 6 effective time), or null. */
    public function getOfficialCode(): ?int
    {
        return $this->officialCode;
    }

    /** The error code ZEGO's RTC (Express) SDKs report for this reason (e.g. 1002078), or null. */
    public function getZegoCode(): ?int
    {
        return $this->zegoCode;
    }

    /** The error code ZEGO's ZIM SDKs report for this reason (e.g. 6000106), or null. */
    public function getZimCode(): ?int
    {
        return $this->zimCode;
    }

    /** What to do about it, as a sentence. */
    public function getAdvice(): string
    {
        return $this->advice;
    }

    /** The C ABI status (Native::STATUS_*); also getCode(). */
    public function getStatus(): int
    {
        return $this->status;
    }
}
