"""generate -> decode round trips, the Room builder, kit tokens and argument checks."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta
from typing import Any

import pytest

import zego_token
from conftest import DEMO_APP_ID
from zego_token import Room, ServerSecret, decode, generate


@pytest.mark.parametrize("mode", ["gcm", "cbc"])
@pytest.mark.parametrize("user", ["u", "用户_中文", "x" * 63])
def test_round_trip(secret: ServerSecret, mode: str, user: str) -> None:
    before = int(time.time())
    g = generate(secret, DEMO_APP_ID, user, timedelta(hours=2), mode=mode)  # type: ignore[arg-type]
    d = decode(g.token, secret)
    assert (d.app_id, d.user_id, d.payload, d.mode) == (DEMO_APP_ID, user, "", mode)
    assert (d.ctime, d.expire, d.nonce) == (g.ctime, g.expire, g.nonce)
    assert before <= g.ctime <= int(time.time())
    assert g.expire - g.ctime == 7200
    assert g.mode == mode
    assert str(g) == g.token
    assert len(d.iv) == (12 if mode == "gcm" else 16)
    assert zego_token.inspect(g.token).mode == mode


def test_default_lifetime_is_an_hour(secret: ServerSecret) -> None:
    g = generate(secret, DEMO_APP_ID, "u")
    assert g.expire - g.ctime == 3600


def test_privilege_token(secret: ServerSecret) -> None:
    room = Room("room-1").allow_publish().streams(["s1", "s2"])
    g = generate(secret, DEMO_APP_ID, "u", 60, room=room)
    d = decode(g.token, secret)
    assert json.loads(d.payload) == {
        "room_id": "room-1",
        "privilege": {"1": 1, "2": 1},
        "stream_id_list": ["s1", "s2"],
    }
    assert d.room() == room


def test_room_builder_is_immutable_and_has_a_keyword_form() -> None:
    base = Room("r")
    built = base.allow_publish().stream("a").streams(["b"]).deny_login()
    assert (base.login, base.publish, base.stream_ids) == (True, False, None)
    assert (built.login, built.publish, built.stream_ids) == (False, True, ["a", "b"])
    assert built == Room("r", login=False, publish=True, streams=["a", "b"])
    assert built != base
    assert repr(built) == "Room('r', login=False, publish=True, streams=['a', 'b'])"
    assert Room("r").to_json() == (
        '{"room_id":"r","privilege":{"1":1,"2":0},"stream_id_list":null}'
    )
    assert Room("r").streams([]).to_json().endswith('"stream_id_list":[]}')
    with pytest.raises(TypeError, match="not a single str"):
        Room("r").streams("s1")


@pytest.mark.parametrize(
    ("room", "field", "needle"),
    [
        (Room(""), "room_id", "room_id"),
        (Room("r" * 128), "room_id", "128"),
        (Room("r").stream("bad id!"), "stream_id", "stream ID #1"),
        (Room("r").streams(["ok", "x" * 256]), "stream_id", "stream ID #2"),
    ],
)
def test_room_limits(secret: ServerSecret, room: Room, field: str, needle: str) -> None:
    with pytest.raises(zego_token.InvalidInput) as exc:
        generate(secret, DEMO_APP_ID, "u", room=room)
    assert exc.value.field == field
    assert needle in str(exc.value)
    with pytest.raises(zego_token.InvalidInput):
        room.to_json()


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"app_id": 0}, "app_id", 1),
        ({"app_id": -1}, "app_id", 1),
        ({"app_id": 2**32}, "app_id", 1),
        ({"app_id": 2**200}, "app_id", 1),
        ({"user_id": ""}, "user_id", 3),
        ({"user_id": "x" * 64}, "user_id", 3),
        ({"ttl": 0}, "effective_time_in_seconds", 6),
        ({"ttl": -1}, "effective_time_in_seconds", 6),
        ({"ttl": timedelta(seconds=-1)}, "effective_time_in_seconds", 6),
        ({"ttl": timedelta(seconds=1.5)}, "effective_time_in_seconds", 6),
        ({"ttl": 2**63}, "effective_time_in_seconds", 6),
        ({"ttl": 2**70}, "effective_time_in_seconds", 6),
        ({"payload": "x" * 70_000}, "payload", None),
    ],
)
def test_input_errors_name_the_field(
    secret: ServerSecret,
    kwargs: dict[str, object],
    field: str,
    code: int | None,
) -> None:
    args: dict[str, Any] = {"app_id": DEMO_APP_ID, "user_id": "u", **kwargs}
    with pytest.raises(zego_token.InvalidInput) as exc:
        generate(secret, **args)
    e = exc.value
    assert isinstance(e, ValueError)
    assert (e.kind, e.field, e.official_code) == ("invalid_input", field, code)
    assert str(e).startswith(f"invalid {field}: ")


def test_type_errors(secret: ServerSecret) -> None:
    with pytest.raises(TypeError, match="app_id must be an int"):
        generate(secret, "1", "u")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="app_id must be an int"):
        generate(secret, True, "u")
    with pytest.raises(TypeError, match="user_id must be a str"):
        generate(secret, 1, 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ttl must be an int"):
        generate(secret, 1, "u", 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown cipher mode"):
        generate(secret, 1, "u", mode="ecb")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="either room or payload"):
        generate(secret, 1, "u", room=Room("r"), payload="")


def test_kit_token(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "u1", room=Room("room1")).token
    kit = zego_token.kit_token(t, DEMO_APP_ID, "u1", "room1", "Zoë D")
    token, info = kit.split("#")
    assert token == t
    assert json.loads(zego_token.decode_kit_info(info)) == {
        "userID": "u1",
        "roomID": "room1",
        "userName": "Zo%C3%AB%20D",
        "appID": DEMO_APP_ID,
    }
    assert json.loads(base64.b64decode(info))["roomID"] == "room1"
    with pytest.raises(zego_token.Malformed):
        zego_token.decode_kit_info("!!!")


def test_constants() -> None:
    assert zego_token.SECRET_LEN == 32
    assert zego_token.USER_ID_LIMIT == 64
    assert zego_token.ROOM_ID_LIMIT == 128
    assert zego_token.STREAM_ID_LIMIT == 256
    assert zego_token.MAX_CLAIMS_LEN < 65_536 < zego_token.MAX_TOKEN_LEN
