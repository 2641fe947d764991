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
        $ffi = Native::ffi();
        $h = $ffi->new('ZegoTokenHeader');
        $status = $ffi->zego_token_inspect($token, strlen($token), \FFI::addr($h), Native::errorSlot());
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
        $ffi = Native::ffi();
        $out = $ffi->new('char*[1]');
        $len = $ffi->new('size_t[1]');
        $status = $ffi->zego_token_kit_token($token04, strlen($token04), $appId, $userId, strlen($userId), $roomId, strlen($roomId), $userName, strlen($userName), $out, $len, Native::errorSlot());
        return self::taken($ffi, $status, $out, $len);
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
        $ffi = Native::ffi();
        $out = $ffi->new('char*[1]');
        $len = $ffi->new('size_t[1]');
        $status = $ffi->zego_token_decode_kit_info($info, strlen($info), $out, $len, Native::errorSlot());
        /** @var array{userID: string, roomID: string, userName: string, appID: int} $fields */
        $fields = json_decode(self::taken($ffi, $status, $out, $len), true, 4, JSON_THROW_ON_ERROR);
        return $fields;
    }

    /** The version of the loaded C library, e.g. "0.1.0". */
    public static function libraryVersion(): string
    {
        return Native::version();
    }

    private static function taken(\FFI $ffi, int $status, \FFI\CData $out, \FFI\CData $len): string
    {
        if ($status !== Native::OK) {
            throw Native::exception($status);
        }
        try {
            return \FFI::string($out[0], $len[0]);
        } finally {
            $ffi->zego_token_string_free($out[0]);
        }
    }
}
