"""The drop-in: ZEGO's samples run unchanged on zego_token.token04, the core's verify
accepts their tokens, and bad input gives the official codes without an exception."""

from __future__ import annotations

import ast
import base64
import json
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from Crypto.Cipher import AES

import zego_token
from conftest import DEMO_APP_ID, DEMO_SECRET
from zego_token import token04
from zego_token.token04 import TokenInfo, generate_token04

SAMPLES = Path(__file__).parent / "samples"


def run_sample(name: str) -> list[Any]:
    out = subprocess.run(
        [sys.executable, str(SAMPLES / name)], capture_output=True, text=True, check=True
    ).stdout
    printed = ast.literal_eval(out.strip())
    assert isinstance(printed, list)
    return printed


def official_decrypt(token: str, secret: str) -> Any:
    """Reads a GCM token04 the way ZEGO's format is specified, with pycryptodome."""
    assert token.startswith("04")
    body = base64.b64decode(token[2:], validate=True)
    (expire, iv_len) = struct.unpack("!qH", body[:10])
    iv = body[10 : 10 + iv_len]
    (ct_len,) = struct.unpack("!H", body[10 + iv_len : 12 + iv_len])
    ct = body[12 + iv_len : 12 + iv_len + ct_len]
    assert body[12 + iv_len + ct_len :] == b"\x01"
    cipher = AES.new(secret.encode(), AES.MODE_GCM, nonce=iv)
    plain = cipher.decrypt_and_verify(ct[:-16], ct[-16:])
    claims = json.loads(plain)
    assert claims["expire"] == expire
    return claims


def test_base_sample_runs_unchanged() -> None:
    token, code, message = run_sample("base_sample.py")
    assert (code, message) == (0, "success")
    d = zego_token.verify(
        token, zego_token.ServerSecret(DEMO_SECRET), app_id=DEMO_APP_ID, user_id="user1"
    )
    assert d.payload == json.dumps({"demoPayload": ""})
    assert d.mode == "gcm"
    assert d.expire - d.ctime == 3600
    assert abs(d.ctime - time.time()) < 60


def test_rtcroom_sample_runs_unchanged() -> None:
    token, code, message = run_sample("rtcroom_sample.py")
    assert (code, message) == (0, "success")
    secret = zego_token.ServerSecret(DEMO_SECRET)
    d = zego_token.verify(
        token,
        secret,
        app_id=DEMO_APP_ID,
        user_id="user1",
        room_id="room1",
        publish=True,
        stream_id="any-stream",
    )
    room = d.room()
    assert room is not None
    assert (room.room_id, room.login, room.publish, room.stream_ids) == ("room1", True, True, None)
    with pytest.raises(zego_token.RoomMismatch):
        zego_token.verify(token, secret, app_id=DEMO_APP_ID, room_id="room2")


def test_tokens_read_like_the_official_module_writes_them() -> None:
    info = generate_token04(DEMO_APP_ID, "user1", DEMO_SECRET, 600, "")
    claims = official_decrypt(info.token, DEMO_SECRET)
    assert set(claims) == {"app_id", "user_id", "nonce", "ctime", "expire", "payload"}
    assert (claims["app_id"], claims["user_id"], claims["payload"]) == (DEMO_APP_ID, "user1", "")
    assert claims["expire"] - claims["ctime"] == 600


def test_room_to_json_is_a_payload_for_the_drop_in() -> None:
    payload = zego_token.Room("room1").allow_publish().stream("s1").to_json()
    info = generate_token04(DEMO_APP_ID, "user1", DEMO_SECRET, 600, payload)
    assert info.error_code == 0
    zego_token.verify(
        info.token,
        zego_token.ServerSecret(DEMO_SECRET),
        app_id=DEMO_APP_ID,
        room_id="room1",
        stream_id="s1",
    )


@pytest.mark.parametrize(
    ("args", "code", "prefix"),
    [
        ((0, "u", DEMO_SECRET, 3600, ""), 1, "appID invalid"),
        (("1", "u", DEMO_SECRET, 3600, ""), 1, "appID invalid"),
        ((True, "u", DEMO_SECRET, 3600, ""), 1, "appID invalid"),
        ((1.0, "u", DEMO_SECRET, 3600, ""), 1, "appID invalid"),
        ((-1, "u", DEMO_SECRET, 3600, ""), 1, "appID invalid"),
        ((2**32, "u", DEMO_SECRET, 3600, ""), 1, "appID invalid"),
        ((1, "", DEMO_SECRET, 3600, ""), 3, "userID invalid"),
        ((1, None, DEMO_SECRET, 3600, ""), 3, "userID invalid"),
        ((1, 42, DEMO_SECRET, 3600, ""), 3, "userID invalid"),
        ((1, "u" * 64, DEMO_SECRET, 3600, ""), 3, "userID invalid"),
        ((1, "u", DEMO_SECRET[:31], 3600, ""), 5, "secret must be a 32 byte string"),
        ((1, "u", DEMO_SECRET + "0", 3600, ""), 5, "secret must be a 32 byte string"),
        ((1, "u", DEMO_SECRET.encode(), 3600, ""), 5, "secret must be a 32 byte string"),
        ((1, "u", "é" * 32, 3600, ""), 5, "secret must be a 32 byte string"),
        ((1, "u", DEMO_SECRET, 0, ""), 6, "effective_time_in_seconds invalid"),
        ((1, "u", DEMO_SECRET, -5, ""), 6, "effective_time_in_seconds invalid"),
        ((1, "u", DEMO_SECRET, 3600.0, ""), 6, "effective_time_in_seconds invalid"),
        ((1, "u", DEMO_SECRET, "3600", ""), 6, "effective_time_in_seconds invalid"),
        ((1, "u", DEMO_SECRET, 2**63, ""), 6, "effective_time_in_seconds invalid"),
        ((1, "u", DEMO_SECRET, 2**63 - 1, ""), 6, "effective_time_in_seconds invalid"),
    ],
)
def test_official_codes_without_exceptions(args: Any, code: int, prefix: str) -> None:
    info = generate_token04(*args)
    assert isinstance(info, TokenInfo)
    assert info.token == ""
    assert info.error_code == code
    assert info.error_message.startswith(prefix + ": "), info.error_message
    assert len(info.error_message) > len(prefix) + 10  # says what was wrong


def test_checks_run_in_the_official_order() -> None:
    # The official module checks app_id, user_id, secret, effective time in that order.
    assert generate_token04(0, "", "x", 0, "").error_code == 1
    assert generate_token04(1, "", "x", 0, "").error_code == 3
    assert generate_token04(1, "u", "x", 0, "").error_code == 5
    assert generate_token04(1, "u", DEMO_SECRET, 0, "").error_code == 6


def test_the_error_code_constants() -> None:
    assert token04.ERROR_CODE_SUCCESS == 0
    assert token04.ERROR_CODE_APP_ID_INVALID == 1
    assert token04.ERROR_CODE_USER_ID_INVALID == 3
    assert token04.ERROR_CODE_SECRET_INVALID == 5
    assert token04.ERROR_CODE_EFFECTIVE_TIME_IN_SECONDS_INVALID == 6


def test_payloads_the_official_module_could_not_carry_are_exceptions() -> None:
    with pytest.raises(TypeError, match="payload must be a str"):
        generate_token04(1, "u", DEMO_SECRET, 3600, {"room_id": "r"})  # type: ignore[arg-type]
    with pytest.raises(zego_token.InvalidInput) as err:
        generate_token04(1, "u", DEMO_SECRET, 3600, "x" * 70_000)
    assert err.value.field == "payload"
    assert err.value.official_code is None
    assert "16-bit length field" in str(err.value)
    # Up to the limit it works (the official module failed past 32 KiB).
    big = generate_token04(1, "u", DEMO_SECRET, 3600, "x" * 40_000)
    assert big.error_code == 0
    assert len(zego_token.decode(big.token, zego_token.ServerSecret(DEMO_SECRET)).payload) == 40_000


def test_token_info_is_the_official_plain_object() -> None:
    info = TokenInfo("04abc", 0, "success")
    assert (info.token, info.error_code, info.error_message) == ("04abc", 0, "success")
    info.error_code = 7
    assert info.error_code == 7
    assert repr(info) == "TokenInfo(token='04abc', error_code=7, error_message='success')"


def test_nonce_and_iv_differ_per_call() -> None:
    secret = zego_token.ServerSecret(DEMO_SECRET)
    seen = set()
    for _ in range(200):
        t = generate_token04(DEMO_APP_ID, "u", DEMO_SECRET, 3600, "").token
        d = zego_token.decode(t, secret)
        seen.add((d.iv, d.nonce))
    assert len(seen) == 200
