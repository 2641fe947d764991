<?php

declare(strict_types=1);

namespace ZEGO;

use ZEGO\Token\Native;

/**
 * ZEGO's official PHP generator, same class, method, arguments and result object
 * (drop-in): replace ZEGO's package with this one and nothing else changes.
 *
 * The token comes from the zego-token C library: AES-256-GCM with a nonce and IV from an
 * OS-seeded CSPRNG (the official port uses rand()). The checks are stricter than the
 * official ones where a token would be corrupt or refused by ZEGO's SDKs (user ID not
 * UTF-8 or 64 bytes and longer, app ID above 32 bits, claims too large for the token's
 * length field), with the official codes; a message says what was wrong.
 */
class ZegoServerAssistant
{
    /**
     * Generates a token04.
     *
     * @param int $appId the app ID from ZEGO's console
     * @param string $userId the user ID
     * @param string $secret the 32-character ServerSecret (never sent to clients)
     * @param int $effectiveTimeInSeconds the token's lifetime in seconds
     * @param string $payload '' for a basic token, the privilege JSON for a privilege token
     *
     * @return ZegoAssistantToken code ZegoErrorCodes::success and token on success; else code and message
     */
    public static function generateToken04(
        int $appId,
        string $userId,
        #[\SensitiveParameter]
        string $secret,
        int $effectiveTimeInSeconds,
        string $payload
    ) {
        $result = new ZegoAssistantToken();
        $result->code = ZegoErrorCodes::success;
        if ($appId < 0 || $appId > 4294967295) {
            $result->code = ZegoErrorCodes::appIDInvalid;
            $result->message = "invalid app_id: $appId is out of range; it must be 1 to 4294967295";
            return $result;
        }
        $ffi = Native::$ffi ?? Native::load();
        $status = $ffi->zego_token_generate_token04($appId, $userId, strlen($userId), $secret, strlen($secret), $effectiveTimeInSeconds, $payload, strlen($payload), Native::$charOut, Native::$lenOut, Native::$err);
        if ($status === Native::OK) {
            $ptr = Native::$charOut[0];
            $result->token = \FFI::string($ptr, Native::$lenOut[0]);
            $ffi->zego_token_string_free($ptr);
            return $result;
        }
        $e = Native::exception($status);
        // Inputs the official generator does not check (the payload) have no official
        // code: they get ZegoErrorCodes::payloadInvalid.
        $result->code = $e->getOfficialCode() ?? ZegoErrorCodes::payloadInvalid;
        $result->message = $e->getMessage();
        return $result;
    }
}
