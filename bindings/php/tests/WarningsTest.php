<?php

declare(strict_types=1);

namespace ZEGO\Token\Tests;

use PHPUnit\Framework\TestCase;
use ZEGO\Token\InvalidInputException;
use ZEGO\Token\SdkWarning;
use ZEGO\Token\ServerSecret;
use ZEGO\Token\Token;
use ZEGO\Token\Validation;

/**
 * ZEGO's client rules, reported as warnings on generated and decoded tokens (the token is
 * still made: ZEGO's server takes it, a client would refuse it).
 */
final class WarningsTest extends TestCase
{
    private const SECRET = 'fa94dd0f974cf2e293728a526b028271';

    public function testGeneratedTokenCarriesTheRulesItBreaks(): void
    {
        $s = new ServerSecret(self::SECRET);
        $g = $s->generateWith(1234567890, 'a b', 30);
        $byRule = [];
        foreach ($g->warnings as $w) {
            self::assertInstanceOf(SdkWarning::class, $w);
            $byRule[$w->rule] = $w;
        }
        self::assertSame(['user_id_charset', 'ttl_too_short'], array_keys($byRule));
        self::assertSame(['rtc', 1002006, true], [$byRule['user_id_charset']->product, $byRule['user_id_charset']->code, $byRule['user_id_charset']->blocking]);
        self::assertSame(['zim', 6000108], [$byRule['ttl_too_short']->product, $byRule['ttl_too_short']->code]);
        self::assertStringContainsString('U+0020', $byRule['user_id_charset']->message);
        self::assertStringStartsWith('rtc/user_id_charset: ', (string) $byRule['user_id_charset']);
        // A token the rules like has none.
        self::assertSame([], $s->generateWith(1234567890, 'user-42', 3600)->warnings);
    }

    public function testDecodedTokenCarriesThemToo(): void
    {
        $unicode = null;
        foreach (Vectors::all() as $v) {
            if ($v['case'] === 'unicode_user') {
                $unicode = $v;
                break;
            }
        }
        self::assertNotNull($unicode);
        $d = (new ServerSecret($unicode['secret']))->decode($unicode['token']);
        self::assertContains('user_id_charset', array_map(static function (SdkWarning $w): string {
            return $w->rule;
        }, $d->warnings));
    }

    public function testKitTokenRefusesIdsTheKitsCannotCarry(): void
    {
        try {
            Token::kitToken('04AAAA', 1, '用户', 'r', 'n');
            self::fail('no exception');
        } catch (InvalidInputException $e) {
            self::assertSame('user_id', $e->getField());
            self::assertStringContainsString('kit', $e->getMessage());
        }
    }

    public function testDefaultLeewayToleratesAFewSeconds(): void
    {
        $s = new ServerSecret(self::SECRET);
        $t = $s->generateWith(1234567890, 'u', 60, '', 'gcm', 1700000000)->token;
        $s->verify($t, (new Validation(1234567890))->at(1700000000 - 2));
        $s->verify($t, (new Validation(1234567890))->at(1700000060 + 2));
        $this->expectException(\ZEGO\Token\InvalidTokenException::class);
        $s->verify($t, (new Validation(1234567890))->at(1700000060 + 60));
    }
}
