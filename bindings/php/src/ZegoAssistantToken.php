<?php

declare(strict_types=1);

namespace ZEGO;

/**
 * The official result object (drop-in): `code` is a ZegoErrorCodes value, `message`
 * says what was wrong ('' on success), `token` is the token04 text on success.
 */
class ZegoAssistantToken
{
    /** @var int */
    public $code;
    /** @var string */
    public $message = '';
    /** @var string|null */
    public $token;
}
