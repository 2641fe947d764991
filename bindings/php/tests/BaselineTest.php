<?php

declare(strict_types=1);

namespace ZEGO\Token\Tests;

use PHPUnit\Framework\TestCase;
use ZegoTokenBench\OfficialToken04;

/**
 * The benchmark's baseline is ZEGO's PHP algorithm: with the official vectors' fixed
 * clock, nonce and IV it gives back the official PHP generators' tokens byte for byte.
 */
final class BaselineTest extends TestCase
{
    public function testReDerivesEveryOfficialPhpVector(): void
    {
        $orders = [
            'php-gcm-reference' => OfficialToken04::ORDER_PHP7,
            'php56-gcm-reference' => OfficialToken04::ORDER_PHP56,
            'php-cbc-reference' => OfficialToken04::ORDER_PHP56,
        ];
        $checked = 0;
        foreach (Vectors::all() as $v) {
            if (!isset($orders[$v['source']])) {
                continue;
            }
            $token = OfficialToken04::seal($v['mode'], $orders[$v['source']], $v['app_id'], $v['user_id'], $v['secret'], $v['ctime'], $v['expire'], $v['nonce'], (string) hex2bin($v['iv_hex']), $v['payload']);
            self::assertSame($v['token'], $token, $v['source'] . '/' . $v['case']);
            $checked++;
        }
        self::assertSame(14, $checked, 'the PHP vectors in token04.json');
    }
}
