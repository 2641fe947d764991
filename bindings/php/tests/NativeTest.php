<?php

declare(strict_types=1);

namespace ZEGO\Token\Tests;

use PHPUnit\Framework\TestCase;
use ZEGO\Token\Native;
use ZEGO\Token\Token;

/**
 * The package's copy of the C declarations and constants matches the C ABI's header.
 */
final class NativeTest extends TestCase
{
    private const HEADER = __DIR__ . '/../../../crates/zego-token-ffi/include/zego_token.h';

    public function testCdefIsGeneratedFromTheHeader(): void
    {
        require_once __DIR__ . '/../tools/cdef.php';
        $expected = zego_token_cdef((string) file_get_contents(self::HEADER));
        self::assertSame($expected, file_get_contents(__DIR__ . '/../src/Token/zego_token.h'), 'run php bindings/php/tools/cdef.php');
    }

    public function testConstantsEqualTheHeaderDefines(): void
    {
        preg_match_all('/^#define ZEGO_TOKEN_(\w+) (\d+)$/m', (string) file_get_contents(self::HEADER), $m, PREG_SET_ORDER);
        self::assertNotEmpty($m);
        $constants = (new \ReflectionClass(Native::class))->getConstants();
        foreach ($m as [, $name, $value]) {
            self::assertArrayHasKey($name, $constants, "Native::$name");
            self::assertSame((int) $value, $constants[$name], "Native::$name");
        }
    }

    public function testLibraryVersion(): void
    {
        self::assertMatchesRegularExpression('/^\d+\.\d+\.\d+/', Token::libraryVersion());
    }
}
