<?php

// ZEGO's room-privilege sample (token/php/token04/test/testForRtcRoom.php), its calls
// unchanged; only the ServerSecret is filled in, with the public demo secret.
require_once '../auto_loader.php';
use ZEGO\ZegoServerAssistant;
use ZEGO\ZegoErrorCodes;

// Privilege keys and values as the sample defines them.
const PrivilegeKeyLogin   = 1;
const PrivilegeKeyPublish = 2;
const PrivilegeEnable     = 1;
const PrivilegeDisable    = 0;

$appId = 1234567890;
$serverSecret = 'fa94dd0f974cf2e293728a526b028271';
$userId = 'user1';
$roomId = "room1";

$rtcRoomPayLoad = [
    'room_id' => $roomId,
    'privilege' => [
        PrivilegeKeyLogin => PrivilegeEnable,
        PrivilegeKeyPublish => PrivilegeDisable,
    ],
    'stream_id_list' => [],
];

$payload = json_encode($rtcRoomPayLoad);

$token = ZegoServerAssistant::generateToken04($appId, $userId, $serverSecret, 3600, $payload);
if ($token->code == ZegoErrorCodes::success) {
    // use $token->token
}
print_r($token);
