<?php

declare(strict_types=1);

namespace ZEGO\Token\Tests;

use PHPUnit\Framework\TestCase;
use ZEGO\Token\InvalidTokenException;
use ZEGO\Token\RoomPayload;
use ZEGO\Token\ServerSecret;
use ZEGO\Token\Token;
use ZEGO\Token\Validation;

final class KitTokenTest extends TestCase
{
    private const SECRET = 'fa94dd0f974cf2e293728a526b028271';

    public function testKitTokenCarriesTheFieldsAndAWorkingToken04(): void
    {
        $s = new ServerSecret(self::SECRET);
        $kit = $s->kitToken(1234567890, 'u1', 'room1', 'Zoë D', 3600, RoomPayload::create('room1'));
        [$token04, $info] = explode('#', $kit, 2);
        self::assertSame(['userID' => 'u1', 'roomID' => 'room1', 'userName' => 'Zo%C3%AB%20D', 'appID' => 1234567890], Token::decodeKitInfo($info));
        self::assertSame(rawurlencode('Zoë D'), Token::decodeKitInfo($info)['userName'], 'encodeURIComponent as PHP writes it');
        $s->verify($token04, (new Validation(1234567890))->userId('u1')->roomId('room1'));
    }

    public function testKitTokenOfAGivenToken(): void
    {
        $kit = Token::kitToken('04AAAA', 7, 'u', 'r', 'n');
        self::assertStringStartsWith('04AAAA#', $kit);
        self::assertSame(7, Token::decodeKitInfo(substr($kit, 7))['appID']);
    }

    public function testBadKitInfo(): void
    {
        $this->expectException(InvalidTokenException::class);
        Token::decodeKitInfo('!!not base64');
    }
}
