<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * What verify() expects of a token. Defaults: any user, no room, publish not required,
 * the library's default leeway, the system clock.
 *
 *     $v = (new Validation(1234567890))->userId('user-42')->roomId('room-1');
 */
final class Validation
{
    /** @var int */
    private $appId;
    /** @var string|null */
    private $userId;
    /** @var string|null */
    private $roomId;
    /** @var string|null */
    private $streamId;
    /** @var bool */
    private $requirePublish = false;
    /** @var int|null */
    private $leeway;
    /** @var int|null */
    private $now;

    /** @param int $appId the app the token must be for */
    public function __construct(int $appId)
    {
        Args::appId($appId);
        $this->appId = $appId;
    }

    /** The token must be for this user. */
    public function userId(string $userId): self
    {
        $this->userId = $userId;
        return $this;
    }

    /** The token must pin this room, with the login privilege. */
    public function roomId(string $roomId): self
    {
        $this->roomId = $roomId;
        return $this;
    }

    /** The token must grant the publish privilege. */
    public function requirePublish(bool $required = true): self
    {
        $this->requirePublish = $required;
        return $this;
    }

    /** The token must let the user publish this stream (implies requirePublish()). */
    public function streamId(string $streamId): self
    {
        $this->streamId = $streamId;
        return $this;
    }

    /** Tolerance for clock differences in seconds (default: the library's). */
    public function leeway(int $seconds): self
    {
        Args::u32('leeway', $seconds);
        $this->leeway = $seconds;
        return $this;
    }

    /** Judge times at $unixSeconds instead of the system clock. */
    public function at(int $unixSeconds): self
    {
        $this->now = $unixSeconds;
        return $this;
    }

    /**
     * The C struct; $keep holds the texts' buffers until the call returns.
     *
     * @param list<\FFI\CData> $keep
     * @internal
     */
    public function toNative(\FFI $ffi, array &$keep): \FFI\CData
    {
        $v = $ffi->new('ZegoTokenValidation');
        $ffi->zego_token_validation_init(\FFI::addr($v), $this->appId);
        if ($this->userId !== null) {
            Args::text($ffi, $v->user_id, $this->userId, $keep);
        }
        if ($this->roomId !== null) {
            Args::text($ffi, $v->room_id, $this->roomId, $keep);
        }
        if ($this->streamId !== null) {
            Args::text($ffi, $v->stream_id, $this->streamId, $keep);
        }
        $v->require_publish = $this->requirePublish ? 1 : 0;
        if ($this->leeway !== null) {
            $v->leeway_seconds = $this->leeway;
        }
        if ($this->now !== null) {
            $v->use_fixed_now = 1;
            $v->now = $this->now;
        }
        return $v;
    }
}
