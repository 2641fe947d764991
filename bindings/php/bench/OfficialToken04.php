<?php

declare(strict_types=1);

namespace ZegoTokenBench;

/**
 * A plain-PHP implementation of ZEGO's official token04 algorithm, the benchmark's
 * baseline: JSON per call with json_encode, AES through openssl_encrypt, pack() for the
 * header, exactly as ZEGO's PHP generator (token/php/token04, GCM) does it, including
 * its `rand()` nonce and IV (the weakness this package replaces).
 *
 * The clock, nonce and IV can be fixed so the tests can re-derive the official PHP
 * vectors byte for byte: that shows the baseline is the official algorithm, not a
 * slower or faster stand-in.
 */
final class OfficialToken04
{
    private const IV_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

    /** Member order of ZEGO's PHP 7 GCM generator. */
    public const ORDER_PHP7 = ['app_id', 'user_id', 'ctime', 'expire', 'nonce', 'payload'];
    /** Member order of ZEGO's PHP 5.6+ GCM generator and of the PHP CBC one. */
    public const ORDER_PHP56 = ['app_id', 'user_id', 'nonce', 'ctime', 'expire', 'payload'];

    /**
     * The official call: GCM, clock time, rand() nonce and IV. Returns the token, or
     * null where the official generator returns an error code (not needed here).
     */
    public static function generate(int $appId, string $userId, string $secret, int $effectiveTimeInSeconds, string $payload): ?string
    {
        if ($appId === 0 || $userId === '' || strlen($secret) !== 32 || $effectiveTimeInSeconds <= 0) {
            return null;
        }
        $ctime = time();
        return self::seal('gcm', self::ORDER_PHP7, $appId, $userId, $secret, $ctime, $ctime + $effectiveTimeInSeconds, rand(), self::randomIv(12), $payload);
    }

    /**
     * The algorithm with every drawn value given: mode 'gcm' (12-byte IV, tag, mode
     * byte 1) or 'cbc' (16-byte IV, PKCS#7, no mode byte), and the member order.
     *
     * @param list<string> $order
     */
    public static function seal(string $mode, array $order, int $appId, string $userId, string $secret, int $ctime, int $expire, int $nonce, string $iv, string $payload): string
    {
        $values = [
            'app_id' => $appId,
            'user_id' => $userId,
            'ctime' => $ctime,
            'expire' => $expire,
            'nonce' => $nonce,
            'payload' => $payload,
        ];
        $info = [];
        foreach ($order as $member) {
            $info[$member] = $values[$member];
        }
        // The official generators pass JSON_BIGINT_AS_STRING (a decode flag); as an
        // encode flag its value 2 is JSON_HEX_AMP, which is why they write & as \u0026.
        $plaintext = json_encode($info, JSON_BIGINT_AS_STRING);
        if ($mode === 'gcm') {
            $tag = '';
            $ct = openssl_encrypt((string) $plaintext, 'aes-256-gcm', $secret, OPENSSL_RAW_DATA, $iv, $tag);
            $ct .= $tag;
            return '04' . base64_encode(pack('J', $expire) . pack('n', strlen($iv)) . $iv . pack('n', strlen($ct)) . $ct . pack('C', 1));
        }
        $ct = openssl_encrypt((string) $plaintext, 'aes-256-cbc', $secret, OPENSSL_RAW_DATA, $iv);
        return '04' . base64_encode(pack('J', $expire) . pack('n', strlen($iv)) . $iv . pack('n', strlen((string) $ct)) . $ct);
    }

    private static function randomIv(int $length): string
    {
        $iv = '';
        for ($i = 0; $i < $length; $i++) {
            $iv .= self::IV_ALPHABET[rand(0, 35)];
        }
        return $iv;
    }
}
