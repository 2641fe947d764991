<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * The room privilege payload of a decoded token.
 */
final class RoomPrivileges
{
    /** @var string the only room the token may log in to */
    public $roomId;
    /** @var bool the login privilege ("1":1) */
    public $canLogin;
    /** @var bool the publish privilege ("2":1) */
    public $canPublish;
    /** @var list<string>|null the only streams the user may publish; null or [] means any stream */
    public $streamIds;

    /**
     * @param list<string>|null $streamIds
     * @internal
     */
    public function __construct(string $roomId, bool $canLogin, bool $canPublish, ?array $streamIds)
    {
        $this->roomId = $roomId;
        $this->canLogin = $canLogin;
        $this->canPublish = $canPublish;
        $this->streamIds = $streamIds;
    }
}
