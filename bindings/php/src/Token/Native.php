<?php

declare(strict_types=1);

namespace ZEGO\Token;

use FFI;
use FFI\CData;

/**
 * The C ABI library (libzego_token_ffi) loaded through PHP's FFI extension. Internal:
 * the other classes call it; user code has no need to.
 *
 * Where the library is found, first match wins:
 *  1. the path given to Native::load() before any other call;
 *  2. the environment variable ZEGO_TOKEN_LIB (a path to the .so / .dylib / .dll);
 *  3. an FFI scope "ZEGO_TOKEN" preloaded with opcache.preload (see the README: the way
 *     to use FFI under PHP-FPM, where ffi.enable=preload is the default);
 *  4. target/release/ of the repository holding this package (a path-repository
 *     install from a checkout);
 *  5. the bare file name, left to the system's library search (LD_LIBRARY_PATH, ...).
 *
 * @internal
 */
final class Native
{
    /** The C ABI version this package is written for (ZEGO_TOKEN_ABI_VERSION). */
    public const ABI_VERSION = 1;
    public const SECRET_LEN = 32;

    public const OK = 0;
    public const STATUS_INVALID_ARGUMENT = 1;
    public const STATUS_INVALID_INPUT = 2;
    public const STATUS_WRONG_VERSION = 3;
    public const STATUS_MALFORMED = 4;
    public const STATUS_DECRYPT = 5;
    public const STATUS_INVALID_CLAIMS = 6;
    public const STATUS_INVALID_PAYLOAD = 7;
    public const STATUS_EXPIRED = 8;
    public const STATUS_NOT_YET_VALID = 9;
    public const STATUS_APP_ID_MISMATCH = 10;
    public const STATUS_USER_ID_MISMATCH = 11;
    public const STATUS_ROOM_MISMATCH = 12;
    public const STATUS_PRIVILEGE_MISSING = 13;
    public const STATUS_STREAM_NOT_ALLOWED = 14;
    public const STATUS_OTHER = 98;
    public const STATUS_INTERNAL = 99;

    public const MODE_CBC = 0;
    public const MODE_GCM = 1;

    public const PAYLOAD_EMPTY = 0;
    public const PAYLOAD_ROOM = 1;
    public const PAYLOAD_OTHER = 2;

    // Out-parameter slots, allocated once and reused by every call: PHP runs one call at
    // a time per thread, and allocating them per call (a C type parsed each time) costs
    // as much as the token itself. Public for the package's hot paths only.

    /** @var FFI|null the loaded library; null until load() */
    public static $ffi;
    /** @var CData|null ZegoTokenError*[1] */
    public static $err;
    /** @var CData|null char*[1] */
    public static $charOut;
    /** @var CData|null size_t[1] */
    public static $lenOut;
    /** @var CData|null ZegoTokenGenerated*[1] */
    public static $generatedOut;
    /** @var CData|null ZegoTokenDecoded*[1] */
    public static $decodedOut;

    /**
     * Loads the library from $path (or the search order above) and checks its ABI
     * version. Call it once, before anything else, to choose the library explicitly.
     *
     * @throws \RuntimeException when the library cannot be loaded or has another ABI version
     */
    public static function load(?string $path = null): FFI
    {
        if (self::$ffi !== null) {
            return self::$ffi;
        }
        if (!extension_loaded('ffi')) {
            throw new \RuntimeException('zego-token needs PHP\'s FFI extension (ext-ffi); install or enable it');
        }
        $ffi = null;
        if ($path === null) {
            $env = getenv('ZEGO_TOKEN_LIB');
            if ($env !== false && $env !== '') {
                $path = $env;
            } else {
                $ffi = self::preloaded();
                if ($ffi === null) {
                    $path = self::defaultPath();
                }
            }
        }
        if ($ffi === null) {
            $decls = file_get_contents(__DIR__ . '/zego_token.h');
            if ($decls === false) {
                throw new \RuntimeException('zego-token: cannot read ' . __DIR__ . '/zego_token.h');
            }
            try {
                $ffi = FFI::cdef($decls, (string) $path);
            } catch (FFI\Exception $e) {
                throw new \RuntimeException("zego-token: cannot load the C library $path: " . $e->getMessage()
                    . ' (build it with `cargo build --release -p zego-token-ffi` and set ZEGO_TOKEN_LIB to its path)', 0, $e);
            }
        }
        $abi = $ffi->zego_token_abi_version();
        if ($abi !== self::ABI_VERSION) {
            throw new \RuntimeException("zego-token: the C library has ABI version $abi; this package needs version " . self::ABI_VERSION);
        }
        self::$err = $ffi->new('ZegoTokenError*[1]');
        self::$charOut = $ffi->new('char*[1]');
        self::$lenOut = $ffi->new('size_t[1]');
        self::$generatedOut = $ffi->new('ZegoTokenGenerated*[1]');
        self::$decodedOut = $ffi->new('ZegoTokenDecoded*[1]');
        self::$ffi = $ffi;
        return $ffi;
    }

    public static function ffi(): FFI
    {
        return self::$ffi ?? self::load();
    }

    /** The version of the loaded library, e.g. "0.1.0". */
    public static function version(): string
    {
        return (string) self::ffi()->zego_token_version();
    }

    /**
     * Turns the error a call left in $err into an exception and frees it.
     */
    public static function exception(int $status): TokenException
    {
        $ffi = self::ffi();
        $err = self::$err[0];
        if ($err === null) {
            return new TokenException("zego-token: the call failed with status $status and no error", 'internal', $status, null, 0, 0, 0, '');
        }
        try {
            $kind = FFI::string($err->kind);
            $field = $err->field === null ? null : FFI::string($err->field);
            $args = [FFI::string($err->message), $kind, (int) $err->status, $field, (int) $err->official_code,
                (int) $err->zego_code, (int) $err->zim_code, FFI::string($err->advice)];
        } finally {
            $ffi->zego_token_error_free($err);
            self::$err[0] = null;
        }
        if ($kind === 'invalid_input' || $kind === 'invalid_argument') {
            return new InvalidInputException(...$args);
        }
        if ($kind === 'internal') {
            return new TokenException(...$args);
        }
        return new InvalidTokenException(...$args);
    }

    /**
     * The string a call left in $charOut/$lenOut, copied, and freed; or the exception.
     */
    public static function takeString(int $status): string
    {
        if ($status !== self::OK) {
            throw self::exception($status);
        }
        $ptr = self::$charOut[0];
        try {
            return FFI::string($ptr, self::$lenOut[0]);
        } finally {
            self::$ffi->zego_token_string_free($ptr);
        }
    }

    /**
     * A copy of a library string (pointer + length; may hold NUL bytes).
     */
    public static function str(CData $s): string
    {
        return $s->len === 0 ? '' : FFI::string($s->ptr, $s->len);
    }

    /**
     * @return list<SdkWarning>
     */
    public static function warnings(CData $list, int $count): array
    {
        $out = [];
        for ($i = 0; $i < $count; $i++) {
            $w = $list[$i];
            $out[] = new SdkWarning(FFI::string($w->rule), FFI::string($w->product), $w->code === 0 ? null : (int) $w->code, FFI::string($w->message), $w->blocking !== 0);
        }
        return $out;
    }

    public static function modeName(int $mode): string
    {
        return $mode === self::MODE_CBC ? CipherMode::CBC : CipherMode::GCM;
    }

    private static function preloaded(): ?FFI
    {
        try {
            return FFI::scope('ZEGO_TOKEN');
        } catch (\Throwable $e) {
            return null;
        }
    }

    private static function defaultPath(): string
    {
        $name = PHP_OS_FAMILY === 'Windows' ? 'zego_token_ffi.dll' : (PHP_OS_FAMILY === 'Darwin' ? 'libzego_token_ffi.dylib' : 'libzego_token_ffi.so');
        $repo = dirname(__DIR__, 4) . '/target/release/' . $name;
        return is_file($repo) ? $repo : $name;
    }
}
