<?php

declare(strict_types=1);

/**
 * Timed loop: tokens per second of ZEGO's official algorithm in plain PHP (the
 * baseline: json_encode + openssl_encrypt, as ZEGO's PHP generator), of this package's
 * drop-in call, and of its reusable-ServerSecret call, in the same process, one core.
 * Each round interleaves the three; the last lines give the median ratios.
 *
 * Usage: php bench/bench.php [--seconds S per round] [--rounds N]
 * (ZEGO_TOKEN_AUTOLOAD: a Composer autoloader to load the package from; default: the
 * package's own auto_loader.php.)
 */

use ZEGO\Token\ServerSecret;
use ZEGO\ZegoErrorCodes;
use ZEGO\ZegoServerAssistant;
use ZegoTokenBench\OfficialToken04;

$autoload = getenv('ZEGO_TOKEN_AUTOLOAD');
require $autoload !== false && $autoload !== '' ? $autoload : __DIR__ . '/../auto_loader.php';
require_once __DIR__ . '/OfficialToken04.php';

$opts = getopt('', ['seconds:', 'rounds:']);
$seconds = (float) ($opts['seconds'] ?? 1.0);
$rounds = (int) ($opts['rounds'] ?? 3);

const APP = 1234567890;
const SECRET = 'fa94dd0f974cf2e293728a526b028271';
const USER = 'user1';
$payload = (string) json_encode(['room_id' => 'room1', 'privilege' => [1 => 1, 2 => 0], 'stream_id_list' => []]);

/**
 * Runs the candidates in turn, a batch each, until $seconds have passed in total, and
 * returns each one's calls per second. Interleaving small batches keeps a load change
 * on this shared machine from favouring one candidate.
 *
 * @param array<string, callable> $candidates
 * @return array<string, float>
 */
function rates(array $candidates, float $seconds): array
{
    $batch = 100;
    $spent = array_fill_keys(array_keys($candidates), 0);
    $calls = array_fill_keys(array_keys($candidates), 0);
    $deadline = hrtime(true) + (int) ($seconds * 1e9);
    do {
        foreach ($candidates as $name => $f) {
            $start = hrtime(true);
            for ($i = 0; $i < $batch; $i++) {
                $f();
            }
            $spent[$name] += hrtime(true) - $start;
            $calls[$name] += $batch;
        }
    } while (hrtime(true) < $deadline);
    $rates = [];
    foreach ($candidates as $name => $f) {
        $rates[$name] = $calls[$name] / ($spent[$name] / 1e9);
    }
    return $rates;
}

// Each candidate must produce a token before it is timed.
$secret = new ServerSecret(SECRET);
$check = [
    'baseline' => OfficialToken04::generate(APP, USER, SECRET, 3600, ''),
    'drop-in' => ZegoServerAssistant::generateToken04(APP, USER, SECRET, 3600, '')->token,
    'secret' => $secret->generate(APP, USER, 3600),
];
foreach ($check as $name => $token) {
    if (!is_string($token) || strncmp($token, '04', 2) !== 0) {
        fwrite(STDERR, "bench: $name made no token\n");
        exit(1);
    }
}

$cases = [
    'basic' => '',
    'privilege' => $payload,
];
printf("PHP %s, zego-token %s, %.2f s per measurement, %d rounds\n", PHP_VERSION, \ZEGO\Token\Token::libraryVersion(), $seconds, $rounds);
$ratios = [];
foreach ($cases as $case => $p) {
    for ($r = 1; $r <= $rounds; $r++) {
        $r3 = rates([
            'baseline' => static function () use ($p) {
                OfficialToken04::generate(APP, USER, SECRET, 3600, $p);
            },
            'drop-in' => static function () use ($p) {
                if (ZegoServerAssistant::generateToken04(APP, USER, SECRET, 3600, $p)->code !== ZegoErrorCodes::success) {
                    throw new RuntimeException('generateToken04 failed');
                }
            },
            'secret' => static function () use ($secret, $p) {
                $secret->generate(APP, USER, 3600, $p);
            },
        ], $seconds);
        [$base, $drop, $reuse] = [$r3['baseline'], $r3['drop-in'], $r3['secret']];
        $ratios[$case]['drop-in'][] = $drop / $base;
        $ratios[$case]['secret'][] = $reuse / $base;
        printf("%-9s round %d: baseline %9.0f tokens/s | drop-in %9.0f tokens/s (%.2fx) | ServerSecret %9.0f tokens/s (%.2fx)\n",
            $case, $r, $base, $drop, $drop / $base, $reuse, $reuse / $base);
    }
}
foreach ($ratios as $case => $byCall) {
    foreach ($byCall as $call => $list) {
        sort($list);
        printf("median ratio %-9s %-7s vs plain PHP: %.2fx\n", $case, $call, $list[intdiv(count($list), 2)]);
    }
}
