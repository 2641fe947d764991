"""Every refusal of verify, decode and inspect: its class, kind, ZEGO codes, advice and
details."""

from __future__ import annotations

import base64
import pickle
from datetime import datetime, timedelta, timezone

import pytest

import zego_token
from conftest import DEMO_APP_ID
from zego_token import Room, ServerSecret, TokenError, generate, verify
from zego_token.dangerous import seal_plaintext

OTHER = ServerSecret("0123456789abcdef0123456789abcdef")


def refusal(
    exc: pytest.ExceptionInfo[TokenError],
    cls: type[TokenError],
    kind: str,
    zego: int | None,
    zim: int | None,
) -> TokenError:
    e = exc.value
    assert type(e) is cls
    assert (e.kind, e.zego_code, e.zim_code) == (kind, zego, zim)
    assert e.advice.endswith(".") and len(e.advice) > 20
    assert str(e) == e.message and len(e.message) > 20
    return e


def test_accepts_what_it_expects(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "alice", 60, room=Room("r1").allow_publish().stream("s1"))
    d = verify(
        t.token,
        secret,
        app_id=DEMO_APP_ID,
        user_id="alice",
        room_id="r1",
        publish=True,
        stream_id="s1",
    )
    assert (d.user_id, d.expire) == ("alice", t.expire)


def test_app_id_mismatch(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "alice").token
    with pytest.raises(TokenError) as exc:
        verify(t, secret, app_id=42)
    e = refusal(exc, zego_token.AppIdMismatch, "app_id_mismatch", 1002076, 6000103)
    assert (e.expected, e.found) == (42, DEMO_APP_ID)  # type: ignore[attr-defined]


def test_user_id_mismatch(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "alice").token
    with pytest.raises(TokenError) as exc:
        verify(t, secret, app_id=DEMO_APP_ID, user_id="bob")
    e = refusal(exc, zego_token.UserIdMismatch, "user_id_mismatch", 1002077, 6000103)
    assert (e.expected, e.found) == ("bob", "alice")  # type: ignore[attr-defined]


def test_expired_and_leeway(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "alice", 60)
    with pytest.raises(TokenError) as exc:
        verify(t.token, secret, app_id=DEMO_APP_ID, now=t.expire + 5)
    e = refusal(exc, zego_token.Expired, "expired", 1002078, 6000106)
    assert (e.expired_at, e.now) == (t.expire, t.expire + 5)  # type: ignore[attr-defined]
    verify(t.token, secret, app_id=DEMO_APP_ID, now=t.expire + 5, leeway=10)
    verify(t.token, secret, app_id=DEMO_APP_ID, now=t.expire + 5, leeway=timedelta(seconds=10))
    with pytest.raises(zego_token.Expired):
        verify(t.token, secret, app_id=DEMO_APP_ID, now=float(t.expire) + 0.5, leeway=0)
    assert zego_token.DEFAULT_LEEWAY == 5
    verify(t.token, secret, app_id=DEMO_APP_ID, now=t.expire + 4)
    when = datetime.fromtimestamp(t.expire + 5, tz=timezone.utc)
    with pytest.raises(zego_token.Expired):
        verify(t.token, secret, app_id=DEMO_APP_ID, now=when)


def test_not_yet_valid(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "alice", 60)
    with pytest.raises(TokenError) as exc:
        verify(t.token, secret, app_id=DEMO_APP_ID, now=t.ctime - 100)
    e = refusal(exc, zego_token.NotYetValid, "not_yet_valid", None, None)
    assert (e.ctime, e.now) == (t.ctime, t.ctime - 100)  # type: ignore[attr-defined]


def test_room_mismatch(secret: ServerSecret) -> None:
    basic = generate(secret, DEMO_APP_ID, "alice").token
    with pytest.raises(TokenError) as exc:
        verify(basic, secret, app_id=DEMO_APP_ID, room_id="r1")
    e = refusal(exc, zego_token.RoomMismatch, "room_mismatch", 1002033, None)
    assert (e.expected, e.found) == ("r1", None)  # type: ignore[attr-defined]
    other = generate(secret, DEMO_APP_ID, "alice", room=Room("r2")).token
    with pytest.raises(zego_token.RoomMismatch) as exc2:
        verify(other, secret, app_id=DEMO_APP_ID, room_id="r1")
    assert exc2.value.found == "r2"


def test_privileges_missing(secret: ServerSecret) -> None:
    no_login = generate(secret, DEMO_APP_ID, "alice", room=Room("r1", login=False)).token
    with pytest.raises(TokenError) as exc:
        verify(no_login, secret, app_id=DEMO_APP_ID, room_id="r1")
    e = refusal(exc, zego_token.PrivilegeMissing, "privilege_missing", 1002033, None)
    assert e.privilege == "login"  # type: ignore[attr-defined]
    no_publish = generate(secret, DEMO_APP_ID, "alice", room=Room("r1")).token
    with pytest.raises(TokenError) as exc:
        verify(no_publish, secret, app_id=DEMO_APP_ID, room_id="r1", publish=True)
    e = refusal(exc, zego_token.PrivilegeMissing, "privilege_missing", 1003072, None)
    assert e.privilege == "publish"  # type: ignore[attr-defined]


def test_stream_not_allowed(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "alice", room=Room("r1", publish=True, streams=["s1"]))
    with pytest.raises(TokenError) as exc:
        verify(t.token, secret, app_id=DEMO_APP_ID, stream_id="s2")
    e = refusal(exc, zego_token.StreamNotAllowed, "stream_not_allowed", 1003072, None)
    assert e.stream_id == "s2"  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["gcm", "cbc"])
def test_decrypt_failed(secret: ServerSecret, mode: str) -> None:
    t = generate(secret, DEMO_APP_ID, "alice", mode=mode).token  # type: ignore[arg-type]
    with pytest.raises(TokenError) as exc:
        verify(t, OTHER, app_id=DEMO_APP_ID)
    refusal(exc, zego_token.DecryptFailed, "decrypt", 1002033, 6000103)
    with pytest.raises(zego_token.DecryptFailed):
        zego_token.decode(t, OTHER)


def test_tampering_is_detected(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "alice").token
    body = bytearray(base64.b64decode(t[2:]))
    body[30] ^= 1
    with pytest.raises(zego_token.DecryptFailed):
        zego_token.decode("04" + base64.b64encode(bytes(body)).decode(), secret)


@pytest.mark.parametrize(
    "text", ["", "04", "04!!!!", "04AAAA", "04" + base64.b64encode(b"\0" * 40).decode()]
)
def test_malformed(secret: ServerSecret, text: str) -> None:
    with pytest.raises(TokenError) as exc:
        verify(text, secret, app_id=DEMO_APP_ID)
    refusal(exc, zego_token.Malformed, "malformed", 1002075, 6000103)
    with pytest.raises(zego_token.Malformed):
        zego_token.inspect(text)


def test_wrong_version(secret: ServerSecret) -> None:
    with pytest.raises(TokenError) as exc:
        verify("03AAAAAAAA", secret, app_id=DEMO_APP_ID)
    refusal(exc, zego_token.WrongVersion, "wrong_version", 1002079, 6000107)
    assert isinstance(exc.value, zego_token.Malformed)


def test_invalid_claims(secret: ServerSecret) -> None:
    t = seal_plaintext(secret, "gcm", 1_900_000_000, b"0" * 12, b'{"app_id":"nope"}')
    with pytest.raises(TokenError) as exc:
        zego_token.decode(t, secret)
    e = refusal(exc, zego_token.InvalidClaims, "invalid_claims", 1002076, 6000103)
    assert e.member == "app_id"  # type: ignore[attr-defined]
    # CBC cannot tell a wrong key from a non-claims plaintext: one opaque error.
    t = seal_plaintext(secret, "cbc", 1_900_000_000, b"0" * 16, b"not json")
    with pytest.raises(zego_token.DecryptFailed):
        zego_token.decode(t, secret)


def test_invalid_payload(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "alice", payload="not a room").token
    with pytest.raises(TokenError) as exc:
        verify(t, secret, app_id=DEMO_APP_ID, room_id="r1")
    refusal(exc, zego_token.InvalidPayload, "invalid_payload", 1002075, None)
    d = verify(t, secret, app_id=DEMO_APP_ID)
    with pytest.raises(zego_token.InvalidPayload):
        d.room()


def test_exceptions_pickle_with_their_details(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "alice").token
    with pytest.raises(zego_token.UserIdMismatch) as exc:
        verify(t, secret, app_id=DEMO_APP_ID, user_id="bob")
    copy = pickle.loads(pickle.dumps(exc.value))
    assert type(copy) is zego_token.UserIdMismatch
    assert (copy.kind, copy.zego_code, copy.found, str(copy)) == (
        "user_id_mismatch",
        1002077,
        "alice",
        str(exc.value),
    )


def test_bad_arguments_are_named(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "alice").token
    with pytest.raises(ValueError, match="leeway must not be negative"):
        verify(t, secret, app_id=DEMO_APP_ID, leeway=-1)
    with pytest.raises(ValueError, match="naive datetime"):
        verify(t, secret, app_id=DEMO_APP_ID, now=datetime(2030, 1, 1))
    with pytest.raises(ValueError, match="out of the range"):
        verify(t, secret, app_id=DEMO_APP_ID, now=float("nan"))
    with pytest.raises(TypeError, match="the token must be a str"):
        verify(b"04", secret, app_id=DEMO_APP_ID)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verify(t, "not a ServerSecret", app_id=DEMO_APP_ID)  # type: ignore[arg-type]
