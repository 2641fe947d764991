<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * Functions that need no ServerSecret.
 */
final class Token
{
    private function __construct()
    {
    }

    /**
     * Reads a token's header without the secret. Nothing in it is authenticated.
     *
     * @throws InvalidTokenException when the text is not a well-formed token04
     */
    public static function inspect(string $token): TokenHeader
    {
        $ffi = Native::$ffi ?? Native::load();
        $h = $ffi->new('ZegoTokenHeader');
        $status = $ffi->zego_token_inspect($token, strlen($token), \FFI::addr($h), Native::$err);
        if ($status !== Native::OK) {
            throw Native::exception($status);
        }
        return new TokenHeader((int) $h->expire, Native::modeName((int) $h->mode), $h->has_mode_byte !== 0,
            \FFI::string($h->iv, $h->iv_len), (int) $h->ciphertext_len);
    }

    /**
     * Wraps a token04 as a kit token for ZEGO's prebuilt UIKits:
     * `token04 + "#" + base64({"userID","roomID","userName" (URI-encoded),"appID"})`.
     *
     * @throws InvalidInputException when an input is not UTF-8 or the app ID is out of range
     */
    public static function kitToken(string $token04, int $appId, string $userId, string $roomId, string $userName): string
    {
        Args::appId($appId);
        $ffi = Native::$ffi ?? Native::load();
        return Native::takeString($ffi->zego_token_kit_token($token04, strlen($token04), $appId, $userId, strlen($userId), $roomId, strlen($roomId), $userName, strlen($userName), Native::$charOut, Native::$lenOut, Native::$err));
    }

    /**
     * Decodes the part of a kit token after "#" to its fields.
     *
     * @return array{userID: string, roomID: string, userName: string, appID: int}
     *
     * @throws InvalidTokenException when it is not base64 of a kit JSON document
     */
    public static function decodeKitInfo(string $info): array
    {
        $ffi = Native::$ffi ?? Native::load();
        $json = Native::takeString($ffi->zego_token_decode_kit_info($info, strlen($info), Native::$charOut, Native::$lenOut, Native::$err));
        /** @var array{userID: string, roomID: string, userName: string, appID: int} $fields */
        $fields = json_decode($json, true, 4, JSON_THROW_ON_ERROR);
        return $fields;
    }

    /** The version of the loaded C library, e.g. "0.1.0". */
    public static function libraryVersion(): string
    {
        return Native::version();
    }
}
