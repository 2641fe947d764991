<?php

declare(strict_types=1);

namespace ZEGO\Token\Tests;

use PHPUnit\Framework\TestCase;
use ZEGO\Token\ServerSecret;
use ZEGO\Token\Validation;
use ZEGO\ZegoAssistantToken;
use ZEGO\ZegoErrorCodes;
use ZEGO\ZegoServerAssistant;

/**
 * The official call: same class, method, arguments, result object and codes; its
 * tokens verify in the core.
 */
final class DropInTest extends TestCase
{
    private const APP = 1234567890;
    private const SECRET = 'fa94dd0f974cf2e293728a526b028271';

    public function testOfficialErrorCodeValues(): void
    {
        self::assertSame([0, 1, 3, 5, 6], [ZegoErrorCodes::success, ZegoErrorCodes::appIDInvalid, ZegoErrorCodes::userIDInvalid,
            ZegoErrorCodes::secretInvalid, ZegoErrorCodes::effectiveTimeInSecondsInvalid]);
    }

    public function testBasicTokenVerifies(): void
    {
        $before = time();
        $r = ZegoServerAssistant::generateToken04(self::APP, 'user1', self::SECRET, 3600, '');
        self::assertInstanceOf(ZegoAssistantToken::class, $r);
        self::assertSame(ZegoErrorCodes::success, $r->code);
        self::assertSame('', $r->message);
        $d = (new ServerSecret(self::SECRET))->verify($r->token, (new Validation(self::APP))->userId('user1'));
        self::assertSame('gcm', $d->mode);
        self::assertSame('', $d->payload);
        self::assertSame($d->ctime + 3600, $d->expire);
        self::assertGreaterThanOrEqual($before, $d->ctime);
        self::assertLessThanOrEqual(time(), $d->ctime);
    }

    public function testPrivilegeTokenCarriesThePayload(): void
    {
        $payload = json_encode(['room_id' => 'room1', 'privilege' => [1 => 1, 2 => 0], 'stream_id_list' => []]);
        $r = ZegoServerAssistant::generateToken04(self::APP, 'user1', self::SECRET, 3600, (string) $payload);
        self::assertSame(ZegoErrorCodes::success, $r->code);
        $d = (new ServerSecret(self::SECRET))->verify($r->token, (new Validation(self::APP))->userId('user1')->roomId('room1'));
        self::assertSame($payload, $d->payload);
        self::assertTrue($d->room->canLogin);
        self::assertFalse($d->room->canPublish);
    }

    /**
     * @dataProvider badInputs
     */
    public function testBadInputGivesTheOfficialCodeAndASpecificMessage(int $app, string $user, string $secret, int $ttl, string $payload, int $code, string $inMessage): void
    {
        $r = ZegoServerAssistant::generateToken04($app, $user, $secret, $ttl, $payload);
        self::assertSame($code, $r->code);
        self::assertNull($r->token);
        self::assertStringContainsString($inMessage, $r->message);
        self::assertStringNotContainsString($secret === '' ? "\0" : $secret, $r->message, 'no secret in the message');
    }

    /** @return array<string, array{int, string, string, int, string, int, string}> */
    public function badInputs(): array
    {
        $s = self::SECRET;
        return [
            'app 0' => [0, 'u', $s, 60, '', 1, 'app_id'],
            'app negative' => [-1, 'u', $s, 60, '', 1, 'out of range'],
            'app above u32' => [4294967296, 'u', $s, 60, '', 1, 'out of range'],
            'user empty' => [1, '', $s, 60, '', 3, 'user_id'],
            'user not UTF-8' => [1, "a\xC3", $s, 60, '', 3, 'UTF-8'],
            'user 64 bytes' => [1, str_repeat('u', 64), $s, 60, '', 3, 'user_id'],
            'secret 31' => [1, 'u', substr($s, 1), 60, '', 5, 'secret'],
            'secret 33' => [1, 'u', $s . "\n", 60, '', 5, 'secret'],
            'ttl 0' => [1, 'u', $s, 0, '', 6, 'effective_time'],
            'ttl negative' => [1, 'u', $s, -5, '', 6, 'effective_time'],
            'payload not UTF-8' => [1, 'u', $s, 60, "\xFF", ZegoErrorCodes::payloadInvalid, 'payload'],
            'payload too large' => [1, 'u', $s, 60, str_repeat('x', 70000), ZegoErrorCodes::payloadInvalid, 'payload'],
            'checked in the official order' => [0, '', 'short', 0, '', 1, 'app_id'],
            'user before secret' => [1, '', 'short', 0, '', 3, 'user_id'],
            'secret before time' => [1, 'u', 'short', 0, '', 5, 'secret'],
        ];
    }

    public function testLargestAppIdWorks(): void
    {
        $r = ZegoServerAssistant::generateToken04(4294967295, 'u', self::SECRET, 60, '');
        self::assertSame(ZegoErrorCodes::success, $r->code);
        self::assertSame(4294967295, (new ServerSecret(self::SECRET))->decode($r->token)->appId);
    }

    /**
     * ZEGO's two PHP samples, run unchanged as their own processes: each prints the
     * result object with print_r, and the token in it verifies.
     *
     * @dataProvider samples
     */
    public function testOfficialSampleRunsAndItsTokenVerifies(string $sample, ?string $room): void
    {
        $dir = __DIR__ . '/../samples';
        $cmd = escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg($sample);
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $dir);
        self::assertIsResource($proc);
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        self::assertSame(0, proc_close($proc), "$sample failed: $err");
        self::assertMatchesRegularExpression('/\[code\] => 0\n/', $out);
        self::assertSame(1, preg_match('/\[token\] => (04[A-Za-z0-9+\/=]+)\n/', $out, $m), $out);
        $v = (new Validation(1234567890))->userId('user1');
        if ($room !== null) {
            $v->roomId($room);
        }
        $d = (new ServerSecret(self::SECRET))->verify($m[1], $v);
        self::assertSame('user1', $d->userId);
        if ($room !== null) {
            self::assertFalse($d->room->canPublish, 'the sample denies publishing');
        }
    }

    /** @return array<string, array{string, string|null}> */
    public function samples(): array
    {
        return ['basic' => ['test.php', null], 'room privilege' => ['testForRtcRoom.php', 'room1']];
    }
}
