<?php

declare(strict_types=1);

namespace ZEGO\Token\Tests;

/**
 * The 71 official vectors, read from the core's copy (never copied here).
 */
final class Vectors
{
    /** @var list<array<string, mixed>>|null */
    private static $all;

    /** @return list<array<string, mixed>> */
    public static function all(): array
    {
        if (self::$all === null) {
            $path = __DIR__ . '/../../../crates/zego-token/tests/vectors/token04.json';
            $text = file_get_contents($path);
            if ($text === false) {
                throw new \RuntimeException("cannot read $path");
            }
            self::$all = json_decode($text, true, 512, JSON_THROW_ON_ERROR);
        }
        return self::$all;
    }

    /** @return array<string, array{0: array<string, mixed>}> PHPUnit data set per vector */
    public static function cases(): array
    {
        $cases = [];
        foreach (self::all() as $v) {
            $cases[$v['source'] . '/' . $v['case']] = [$v];
        }
        return $cases;
    }
}
