<?php

// ZEGO's basic-token sample (token/php/token04/test/test.php), its calls unchanged;
// only the ServerSecret is filled in, with the public demo secret. Run from this folder.
require_once '../auto_loader.php';
use ZEGO\ZegoServerAssistant;
use ZEGO\ZegoErrorCodes;

$appId = 1234567890;
$serverSecret = 'fa94dd0f974cf2e293728a526b028271';
$userId = 'user1';

// A basic token has an empty payload; 3600 is its lifetime in seconds.
$payload = '';
$token = ZegoServerAssistant::generateToken04($appId, $userId, $serverSecret, 3600, $payload);
if ($token->code == ZegoErrorCodes::success) {
    // use $token->token
}
print_r($token);
