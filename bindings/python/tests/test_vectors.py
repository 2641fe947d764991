"""Every official vector: decoded to every field, verified, and re-encrypted byte for
byte from its plaintext and IV."""

from __future__ import annotations

import json
from typing import Any

import pytest

import zego_token
from conftest import load_vectors
from zego_token.dangerous import seal_plaintext

VECTORS = load_vectors()


def _id(v: dict[str, Any]) -> str:
    return f"{v['source']}/{v['case']}"


@pytest.mark.parametrize("v", VECTORS, ids=_id)
def test_decodes_every_field(v: dict[str, Any]) -> None:
    secret = zego_token.ServerSecret(v["secret"])
    d = zego_token.decode(v["token"], secret)
    assert d.app_id == v["app_id"]
    assert d.user_id == v["user_id"]
    assert d.nonce == v["nonce"]
    assert d.ctime == v["ctime"]
    assert d.expire == v["expire"]
    assert d.payload == v["payload"]
    assert d.mode == v["mode"]
    assert d.iv == bytes.fromhex(v["iv_hex"])
    assert d.header_expire == v["expire"]
    # The claims the generator encrypted, parsed independently, say the same.
    plain = json.loads(v["plaintext"])
    assert (plain["app_id"], plain["user_id"], plain["payload"]) == (
        d.app_id,
        d.user_id,
        d.payload,
    )


@pytest.mark.parametrize("v", VECTORS, ids=_id)
def test_inspects_the_header(v: dict[str, Any]) -> None:
    env = zego_token.inspect(v["token"])
    assert env.mode == v["mode"]
    assert env.untrusted_expire == v["expire"]
    assert env.iv == bytes.fromhex(v["iv_hex"])
    assert env.has_mode_byte == (v["mode"] == "gcm")
    tag = 16 if v["mode"] == "gcm" else 0
    plain_len = len(v["plaintext"].encode("utf-8"))
    if v["mode"] == "gcm":
        assert env.ciphertext_len == plain_len + tag
    else:
        assert env.ciphertext_len == (plain_len // 16 + 1) * 16
    assert env.to_token() == v["token"]


@pytest.mark.parametrize("v", VECTORS, ids=_id)
def test_verifies_at_creation_time(v: dict[str, Any]) -> None:
    secret = zego_token.ServerSecret(v["secret"])
    d = zego_token.verify(
        v["token"], secret, app_id=v["app_id"], user_id=v["user_id"], now=v["ctime"]
    )
    assert d.expire == v["expire"]
    if v["case"].startswith("rtc_"):
        room = d.room()
        assert room is not None
        assert room.login
        zego_token.verify(
            v["token"], secret, app_id=v["app_id"], room_id=room.room_id, now=v["ctime"]
        )
    elif not v["payload"]:
        assert d.room() is None
    with pytest.raises(zego_token.Expired):
        zego_token.verify(v["token"], secret, app_id=v["app_id"], now=v["expire"], leeway=0)
    # The default leeway (5 s) absorbs clock differences.
    zego_token.verify(v["token"], secret, app_id=v["app_id"], now=v["expire"] + 4)
    with pytest.raises(zego_token.Expired):
        zego_token.verify(
            v["token"],
            secret,
            app_id=v["app_id"],
            now=v["expire"] + zego_token.DEFAULT_LEEWAY,
        )


@pytest.mark.parametrize("v", VECTORS, ids=_id)
def test_reencrypts_byte_for_byte(v: dict[str, Any]) -> None:
    secret = zego_token.ServerSecret(v["secret"])
    token = seal_plaintext(
        secret,
        v["mode"],
        v["expire"],
        bytes.fromhex(v["iv_hex"]),
        v["plaintext"].encode("utf-8"),
    )
    assert token == v["token"]


def test_the_set_covers_both_modes_and_every_case() -> None:
    assert {v["mode"] for v in VECTORS} == {"gcm", "cbc"}
    cases = {v["case"] for v in VECTORS}
    assert {"basic", "rtc_room", "rtc_streams", "unicode_user", "negative_nonce"} <= cases
