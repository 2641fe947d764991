<?php

declare(strict_types=1);

namespace ZEGO\Token\Tests;

use PHPUnit\Framework\TestCase;
use ZEGO\Token\CipherMode;
use ZEGO\Token\InvalidInputException;
use ZEGO\Token\RoomPayload;
use ZEGO\Token\ServerSecret;
use ZEGO\Token\Validation;

/**
 * The idiomatic API: the secret handle, generation in both modes, the room builder, and
 * that the secret never shows.
 */
final class ServerSecretTest extends TestCase
{
    private const APP = 1234567890;
    private const SECRET = 'fa94dd0f974cf2e293728a526b028271';

    public function testGenerateRoundTripsInBothModes(): void
    {
        $s = new ServerSecret(self::SECRET);
        foreach ([CipherMode::GCM, CipherMode::CBC] as $mode) {
            $g = $s->generateWith(self::APP, 'user-42', 600, '', $mode, 1700000000);
            self::assertSame($mode, $g->mode);
            self::assertSame(1700000000, $g->ctime);
            self::assertSame(1700000600, $g->expire);
            self::assertSame($g->token, (string) $g);
            $d = $s->decode($g->token);
            self::assertSame([self::APP, 'user-42', 1700000000, 1700000600, $g->nonce, '', $mode],
                [$d->appId, $d->userId, $d->ctime, $d->expire, $d->nonce, $d->payload, $d->mode]);
            self::assertSame($mode === CipherMode::GCM ? 12 : 16, strlen($d->iv));
        }
    }

    public function testGenerateIsGcmAtTheClock(): void
    {
        $s = new ServerSecret(self::SECRET);
        $before = time();
        $d = $s->decode($s->generate(self::APP, 'user-42', 600));
        self::assertSame('gcm', $d->mode);
        self::assertSame('user-42', $d->userId);
        self::assertGreaterThanOrEqual($before, $d->ctime);
        self::assertLessThanOrEqual(time(), $d->ctime);
        self::assertSame($d->ctime + 600, $d->expire);
    }

    public function testTwoTokensDifferInIvAndNonce(): void
    {
        $s = new ServerSecret(self::SECRET);
        $a = $s->decode($s->generateWith(self::APP, 'u', 60, '', CipherMode::GCM, 1700000000)->token);
        $b = $s->decode($s->generateWith(self::APP, 'u', 60, '', CipherMode::GCM, 1700000000)->token);
        self::assertNotSame($a->iv, $b->iv, 'IVs are drawn for every token, even within one second');
    }

    public function testRoomPayloadBuildsTheOfficialShape(): void
    {
        self::assertSame('{"room_id":"room-1","privilege":{"1":1,"2":0},"stream_id_list":null}', RoomPayload::create('room-1')->toJson());
        self::assertSame('{"room_id":"r","privilege":{"1":0,"2":1},"stream_id_list":["s1","s-2"]}',
            RoomPayload::create('r')->denyLogin()->allowPublish()->stream('s1')->stream('s-2')->toJson());
        self::assertSame('{"room_id":"r","privilege":{"1":1,"2":0},"stream_id_list":null}', RoomPayload::create('r')->streams([])->toJson());

        $s = new ServerSecret(self::SECRET);
        $g = $s->generate(self::APP, 'u', 60, RoomPayload::create('room-1')->allowPublish()->streams(['a', 'b']));
        $d = $s->verify($g, (new Validation(self::APP))->roomId('room-1')->streamId('b'));
        self::assertSame(['a', 'b'], $d->room->streamIds);
        self::assertTrue($d->room->canPublish);
    }

    /**
     * @dataProvider badRooms
     */
    public function testRoomPayloadRefusesWhatTheSdkRefuses(RoomPayload $p, string $field): void
    {
        try {
            $p->toJson();
            self::fail('no exception');
        } catch (InvalidInputException $e) {
            self::assertSame('invalid_input', $e->getKind());
            self::assertSame($field, $e->getField());
            self::assertNotSame('', $e->getAdvice());
        }
    }

    /** @return array<string, array{RoomPayload, string}> */
    public function badRooms(): array
    {
        return [
            'empty room' => [RoomPayload::create(''), 'room_id'],
            'room of 128 bytes' => [RoomPayload::create(str_repeat('r', 128)), 'room_id'],
            'stream with a space' => [RoomPayload::create('r')->stream('a b'), 'stream_id'],
            'stream of 256 bytes' => [RoomPayload::create('r')->stream(str_repeat('s', 256)), 'stream_id'],
        ];
    }

    public function testInvalidSecretIsAnInputErrorWithoutTheSecret(): void
    {
        $bad = self::SECRET . "\n";
        try {
            new ServerSecret($bad);
            self::fail('no exception');
        } catch (InvalidInputException $e) {
            self::assertSame('invalid_input', $e->getKind());
            self::assertSame('secret', $e->getField());
            self::assertSame(5, $e->getOfficialCode());
            self::assertStringNotContainsString(substr(self::SECRET, 0, 8), $e->getMessage());
            self::assertStringNotContainsString(substr(self::SECRET, 0, 8), (string) $e);
            if (PHP_VERSION_ID >= 80200) {
                // With arguments in traces, #[\SensitiveParameter] hides the secret (PHP 8.2+).
                self::assertFalse(strpos(self::packageFrames($bad), substr(self::SECRET, 0, 8)), 'the secret is in a trace argument');
            }
        }
    }

    public function testNoDumpShowsTheSecret(): void
    {
        $s = new ServerSecret(self::SECRET);
        $dumps = [print_r($s, true), var_export($s, true), json_encode($s)];
        ob_start();
        var_dump($s);
        debug_zval_dump($s);
        $dumps[] = (string) ob_get_clean();
        $dumps[] = print_r((array) $s, true);
        foreach ($dumps as $dump) {
            self::assertStringNotContainsString(substr(self::SECRET, 0, 8), $dump);
        }
        self::assertStringContainsString('<redacted>', print_r($s, true));
    }

    public function testCannotBeSerializedOrCloned(): void
    {
        $s = new ServerSecret(self::SECRET);
        try {
            serialize($s);
            self::fail('serialized');
        } catch (\LogicException $e) {
            self::assertStringNotContainsString(substr(self::SECRET, 0, 8), $e->getMessage());
        }
        $this->expectException(\LogicException::class);
        $copy = clone $s;
        unset($copy);
    }

    public function testCloseFreesAndLaterUseThrows(): void
    {
        $s = new ServerSecret(self::SECRET);
        $token = $s->generate(self::APP, 'u', 60);
        self::assertFalse($s->isClosed());
        $s->close();
        $s->close();
        self::assertTrue($s->isClosed());
        $this->expectException(\LogicException::class);
        $s->decode($token);
    }

    public function testBadModeAndAppId(): void
    {
        $s = new ServerSecret(self::SECRET);
        foreach ([[fn () => $s->generateWith(self::APP, 'u', 60, '', 'ecb'), 'mode'], [fn () => $s->generate(-1, 'u', 60), 'app_id'], [fn () => $s->generateWith(1 << 32, 'u', 60), 'app_id'],
            [fn () => new Validation(1 << 32), 'app_id'], [fn () => (new Validation(1))->leeway(-1), 'leeway']] as [$call, $field]) {
            try {
                $call();
                self::fail("no exception for $field");
            } catch (InvalidInputException $e) {
                self::assertSame($field, $e->getField());
            }
        }
        $this->expectException(\TypeError::class);
        $s->generate(self::APP, 'u', 60, ['room_id' => 'r']);
    }

    /** The package's own trace frames (with arguments) of a failed ServerSecret construction. */
    private static function packageFrames(string $secret): string
    {
        $old = ini_set('zend.exception_ignore_args', '0');
        try {
            new ServerSecret($secret);
        } catch (InvalidInputException $e) {
            $frames = array_filter($e->getTrace(), static function (array $f): bool {
                return isset($f['class']) && strpos($f['class'], 'ZEGO\\Token\\') === 0 && strpos($f['class'], 'ZEGO\\Token\\Tests') !== 0;
            });
            self::assertNotEmpty($frames);
            return print_r($frames, true);
        } finally {
            ini_set('zend.exception_ignore_args', (string) $old);
        }
        return '';
    }
}
