<?php

declare(strict_types=1);

namespace ZEGO\Token\Tests;

use PHPUnit\Framework\TestCase;
use ZEGO\Token\InvalidTokenException;
use ZEGO\Token\Native;
use ZEGO\Token\RoomPayload;
use ZEGO\Token\ServerSecret;
use ZEGO\Token\Token;
use ZEGO\Token\Validation;

/**
 * verify() and decode() refuse with typed exceptions carrying the stable kind, ZEGO's
 * RTC and ZIM codes and an advice sentence.
 */
final class VerifyTest extends TestCase
{
    private const APP = 1234567890;
    private const SECRET = 'fa94dd0f974cf2e293728a526b028271';
    private const NOW = 1700000000;

    /**
     * @dataProvider refusals
     */
    public function testRefusal(string $token, Validation $v, string $kind, int $status, ?int $zego, ?int $zim): void
    {
        $s = new ServerSecret(self::SECRET);
        try {
            $s->verify($token, $v);
            self::fail("verify accepted a token it should refuse ($kind)");
        } catch (InvalidTokenException $e) {
            self::assertSame($kind, $e->getKind(), $e->getMessage());
            self::assertSame($status, $e->getStatus());
            self::assertSame($status, $e->getCode());
            self::assertSame($zego, $e->getZegoCode(), 'ZEGO code');
            self::assertSame($zim, $e->getZimCode(), 'ZIM code');
            self::assertNull($e->getOfficialCode());
            self::assertNotSame('', $e->getMessage());
            self::assertNotSame('', $e->getAdvice());
            self::assertStringNotContainsString(self::SECRET, $e->getMessage() . $e->getAdvice());
        }
    }

    /** @return array<string, array{string, Validation, string, int, int|null, int|null}> */
    public function refusals(): array
    {
        $s = new ServerSecret(self::SECRET);
        $basic = $s->generateWith(self::APP, 'user-42', 3600, '', 'gcm', self::NOW)->token;
        $room = $s->generateWith(self::APP, 'user-42', 3600, RoomPayload::create('room-1')->stream('s1'), 'gcm', self::NOW)->token;
        $noLogin = $s->generateWith(self::APP, 'user-42', 3600, RoomPayload::create('room-1')->denyLogin(), 'gcm', self::NOW)->token;
        $publisher = $s->generateWith(self::APP, 'user-42', 3600, RoomPayload::create('room-1')->allowPublish()->stream('s1'), 'gcm', self::NOW)->token;
        $other = (new ServerSecret('12345678900987654321123456789012'))->generateWith(self::APP, 'user-42', 3600, '', 'gcm', self::NOW)->token;
        $v = function (): Validation {
            return (new Validation(self::APP))->at(self::NOW + 10);
        };
        $tampered = self::flipByte($basic, 40);
        return [
            'wrong app' => [$basic, (new Validation(1))->at(self::NOW), 'app_id_mismatch', Native::STATUS_APP_ID_MISMATCH, 1002076, 6000103],
            'wrong user' => [$basic, $v()->userId('user-43'), 'user_id_mismatch', Native::STATUS_USER_ID_MISMATCH, 1002077, 6000103],
            'expired' => [$basic, (new Validation(self::APP))->at(self::NOW + 3600 + 3600)->leeway(0), 'expired', Native::STATUS_EXPIRED, 1002078, 6000106],
            'not yet valid' => [$basic, (new Validation(self::APP))->at(self::NOW - 3600)->leeway(0), 'not_yet_valid', Native::STATUS_NOT_YET_VALID, null, null],
            'no room in a basic token' => [$basic, $v()->roomId('room-1'), 'room_mismatch', Native::STATUS_ROOM_MISMATCH, 1002033, null],
            'other room' => [$room, $v()->roomId('room-2'), 'room_mismatch', Native::STATUS_ROOM_MISMATCH, 1002033, null],
            'login denied' => [$noLogin, $v()->roomId('room-1'), 'privilege_missing', Native::STATUS_PRIVILEGE_MISSING, 1002033, null],
            'publish denied' => [$room, $v()->requirePublish(), 'privilege_missing', Native::STATUS_PRIVILEGE_MISSING, 1003072, null],
            'stream not listed' => [$publisher, $v()->streamId('s2'), 'stream_not_allowed', Native::STATUS_STREAM_NOT_ALLOWED, 1003072, null],
            'other secret' => [$other, $v(), 'decrypt', Native::STATUS_DECRYPT, 1002033, 6000103],
            'tampered' => [$tampered, $v(), 'decrypt', Native::STATUS_DECRYPT, 1002033, 6000103],
            'not base64' => ['04!!!!', $v(), 'malformed', Native::STATUS_MALFORMED, 1002075, 6000103],
            'truncated' => [substr($basic, 0, 30), $v(), 'malformed', Native::STATUS_MALFORMED, 1002075, 6000103],
            'not UTF-8' => ["04\xFF\xFE", $v(), 'malformed', Native::STATUS_MALFORMED, 1002075, 6000103],
            'token03' => ['03' . substr($basic, 2), $v(), 'wrong_version', Native::STATUS_WRONG_VERSION, 1002079, 6000107],
            'empty' => ['', $v(), 'malformed', Native::STATUS_MALFORMED, 1002075, 6000103],
        ];
    }

    public function testAcceptsWhatItShould(): void
    {
        $s = new ServerSecret(self::SECRET);
        $t = $s->generateWith(self::APP, 'user-42', 3600, RoomPayload::create('room-1')->allowPublish()->stream('s1'), 'gcm', self::NOW)->token;
        $d = $s->verify($t, (new Validation(self::APP))->userId('user-42')->roomId('room-1')->requirePublish()->streamId('s1')->at(self::NOW + 60));
        self::assertSame('user-42', $d->userId);
        // A leeway tolerates that much clock difference, at both ends.
        $s->verify($t, (new Validation(self::APP))->leeway(5)->at(self::NOW - 5));
        $s->verify($t, (new Validation(self::APP))->leeway(5)->at(self::NOW + 3600 + 4));
    }

    public function testDecodeDoesNotJudge(): void
    {
        $s = new ServerSecret(self::SECRET);
        $d = $s->decode($s->generateWith(self::APP, 'u', 1, '', 'gcm', 1000)->token);
        self::assertSame(1001, $d->expire, 'an expired token still decodes');
        $this->expectException(InvalidTokenException::class);
        (new ServerSecret('12345678900987654321123456789012'))->decode($s->generate(self::APP, 'u', 60));
    }

    public function testInspectRefusesWhatIsNotAToken(): void
    {
        try {
            Token::inspect('04AAAA');
            self::fail('no exception');
        } catch (InvalidTokenException $e) {
            self::assertSame('malformed', $e->getKind());
        }
    }

    private static function flipByte(string $token, int $at): string
    {
        $body = (string) base64_decode(substr($token, 2), true);
        $body[$at] = chr(ord($body[$at]) ^ 1);
        return '04' . base64_encode($body);
    }
}
