<?php

declare(strict_types=1);

namespace ZEGO\Token\Tests;

use PHPUnit\Framework\TestCase;
use ZEGO\Token\CipherMode;
use ZEGO\Token\ServerSecret;
use ZEGO\Token\Token;

/**
 * Every official vector decodes, through the package, to every one of its fields, and its
 * header reads back without the secret. (The C ABI draws IVs itself, so bytes cannot be
 * re-derived through it; BaselineTest re-derives the PHP vectors with the baseline.)
 */
final class VectorsTest extends TestCase
{
    /**
     * @dataProvider vectors
     * @param array<string, mixed> $v
     */
    public function testDecodesEveryField(array $v): void
    {
        $secret = new ServerSecret($v['secret']);
        $d = $secret->decode($v['token']);
        $claims = json_decode($v['plaintext'], true, 512, JSON_THROW_ON_ERROR);

        self::assertSame($v['app_id'], $d->appId, 'app_id');
        self::assertSame($v['user_id'], $d->userId, 'user_id');
        self::assertSame($v['ctime'], $d->ctime, 'ctime');
        self::assertSame($v['expire'], $d->expire, 'expire');
        self::assertSame($v['ctime'] + $v['effective_time_in_seconds'], $d->expire, 'expire = ctime + effective time');
        self::assertSame($v['expire'], $d->headerExpire, 'header expire');
        self::assertSame($v['nonce'], $d->nonce, 'nonce');
        self::assertSame($v['payload'], $d->payload, 'payload');
        self::assertSame($claims['payload'], $d->payload, 'payload as in the plaintext');
        self::assertSame($v['mode'], $d->mode, 'mode');
        self::assertSame($v['iv_hex'], bin2hex($d->iv), 'iv');

        $payload = $v['payload'] === '' ? null : json_decode($v['payload'], true);
        if (is_array($payload) && isset($payload['room_id'])) {
            self::assertNotNull($d->room, 'room privileges');
            self::assertSame($payload['room_id'], $d->room->roomId);
            self::assertSame(($payload['privilege'][1] ?? 0) === 1, $d->room->canLogin, 'login');
            self::assertSame(($payload['privilege'][2] ?? 0) === 1, $d->room->canPublish, 'publish');
            self::assertSame($payload['stream_id_list'] ?? null, $d->room->streamIds, 'streams');
        } else {
            self::assertNull($d->room, 'no room privileges');
        }
    }

    /**
     * @dataProvider vectors
     * @param array<string, mixed> $v
     */
    public function testInspectsTheHeader(array $v): void
    {
        $h = Token::inspect($v['token']);
        $plainLen = strlen($v['plaintext']);
        self::assertSame($v['expire'], $h->expire);
        self::assertSame($v['mode'], $h->mode);
        self::assertSame($v['iv_hex'], bin2hex($h->iv));
        self::assertSame($v['mode'] === CipherMode::GCM, $h->hasModeByte);
        $expected = $v['mode'] === CipherMode::GCM ? $plainLen + 16 : (intdiv($plainLen, 16) + 1) * 16;
        self::assertSame($expected, $h->ciphertextLength, 'ciphertext length');
    }

    /**
     * @dataProvider vectors
     * @param array<string, mixed> $v
     */
    public function testVerifiesAtItsOwnTime(array $v): void
    {
        $secret = new ServerSecret($v['secret']);
        $d = $secret->verify($v['token'], (new \ZEGO\Token\Validation($v['app_id']))->userId($v['user_id'])->at($v['ctime'] + 1));
        self::assertSame($v['nonce'], $d->nonce);
    }

    /** @return array<string, array{0: array<string, mixed>}> */
    public function vectors(): array
    {
        return Vectors::cases();
    }

    public function testAllSeventyOneVectorsAreRead(): void
    {
        self::assertCount(71, Vectors::all());
    }
}
