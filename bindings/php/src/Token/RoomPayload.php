<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * The payload of a privilege token, built from typed values instead of hand-written
 * JSON: the only room the token may log in to, the login and publish privileges, and
 * the only streams the user may publish.
 *
 * Defaults: login allowed, publish denied, no stream list (any stream). The setters
 * return the same object; the rules (room ID non-empty and under 128 bytes, stream IDs
 * under 256 bytes of A-Z a-z 0-9 - _) are checked by toJson() and generate().
 *
 *     $payload = RoomPayload::create('room-1')->allowPublish()->stream('s1');
 */
final class RoomPayload
{
    /** @var string */
    private $roomId;
    /** @var bool */
    private $login = true;
    /** @var bool */
    private $publish = false;
    /** @var list<string>|null */
    private $streams;

    public function __construct(string $roomId)
    {
        $this->roomId = $roomId;
    }

    public static function create(string $roomId): self
    {
        return new self($roomId);
    }

    public function allowLogin(bool $allowed = true): self
    {
        $this->login = $allowed;
        return $this;
    }

    public function denyLogin(): self
    {
        $this->login = false;
        return $this;
    }

    public function allowPublish(bool $allowed = true): self
    {
        $this->publish = $allowed;
        return $this;
    }

    public function denyPublish(): self
    {
        $this->publish = false;
        return $this;
    }

    /** Adds a stream the user may publish (the list then restricts publishing to it). */
    public function stream(string $streamId): self
    {
        $this->streams[] = $streamId;
        return $this;
    }

    /**
     * Sets the streams the user may publish; an empty list means any stream, as no list
     * does (both are written `null`).
     *
     * @param iterable<string> $streamIds
     */
    public function streams(iterable $streamIds): self
    {
        $this->streams = [];
        foreach ($streamIds as $id) {
            if (!is_string($id)) {
                throw new \TypeError('stream IDs must be strings, ' . (is_object($id) ? get_class($id) : gettype($id)) . ' given');
            }
            $this->streams[] = $id;
        }
        return $this;
    }

    /**
     * The payload JSON, as the C library writes it.
     *
     * @throws InvalidInputException (field "room_id" or "stream_id") when an ID breaks ZEGO's limits
     */
    public function toJson(): string
    {
        $ffi = Native::$ffi ?? Native::load();
        $keep = [];
        $list = null;
        $count = $this->streams === null ? 0 : count($this->streams);
        if ($count > 0) {
            $list = $ffi->new("ZegoTokenStr[$count]");
            foreach ($this->streams as $i => $id) {
                Args::text($ffi, $list[$i], $id, $keep);
            }
        }
        return Native::takeString($ffi->zego_token_room_payload($this->roomId, strlen($this->roomId), $this->login ? 1 : 0, $this->publish ? 1 : 0, $list, $count, Native::$charOut, Native::$lenOut, Native::$err));
    }
}
