<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * Checks of PHP values before they reach C types that would truncate them silently
 * (a PHP int is 64-bit; app IDs and leeways are 32-bit in the C ABI).
 *
 * @internal
 */
final class Args
{
    private const U32_MAX = 4294967295;
    private const FIX_INPUT = 'Correct the named input and generate again.';

    public static function appId(int $appId): void
    {
        if ($appId < 0 || $appId > self::U32_MAX) {
            throw new InvalidInputException("invalid app_id: $appId is out of range; it must be 1 to 4294967295", 'invalid_input', Native::STATUS_INVALID_INPUT, 'app_id', 1, 0, 0, self::FIX_INPUT);
        }
    }

    public static function u32(string $name, int $value): void
    {
        if ($value < 0 || $value > self::U32_MAX) {
            throw new InvalidInputException("invalid $name: $value is out of range; it must be 0 to 4294967295", 'invalid_argument', Native::STATUS_INVALID_ARGUMENT, $name, 0, 0, 0, self::FIX_INPUT);
        }
    }

    /**
     * @param mixed $payload
     */
    public static function payload($payload): string
    {
        if (is_string($payload)) {
            return $payload;
        }
        if ($payload instanceof RoomPayload) {
            return $payload->toJson();
        }
        throw new \TypeError('payload must be a string or a ' . RoomPayload::class . ', ' . (is_object($payload) ? get_class($payload) : gettype($payload)) . ' given');
    }

    public static function mode(string $mode): int
    {
        if ($mode === CipherMode::GCM) {
            return Native::MODE_GCM;
        }
        if ($mode === CipherMode::CBC) {
            return Native::MODE_CBC;
        }
        throw new InvalidInputException("invalid mode: \"$mode\"; it must be CipherMode::GCM (\"gcm\") or CipherMode::CBC (\"cbc\")", 'invalid_argument', Native::STATUS_INVALID_ARGUMENT, 'mode', 0, 0, 0, self::FIX_INPUT);
    }

    /**
     * A C copy of $text as a ZegoTokenStr, kept alive by $keep until the call returns
     * (a PHP string cannot be stored in a struct's pointer member directly).
     *
     * @param list<\FFI\CData> $keep
     */
    public static function text(\FFI $ffi, \FFI\CData $slot, string $text, array &$keep): void
    {
        $len = strlen($text);
        $buf = $ffi->new('char[' . max(1, $len) . ']');
        if ($len > 0) {
            \FFI::memcpy($buf, $text, $len);
        }
        $keep[] = $buf;
        $slot->ptr = $ffi->cast('const char *', $buf);
        $slot->len = $len;
    }
}
