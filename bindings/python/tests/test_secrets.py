"""The ServerSecret never shows up: not in repr/str, exceptions, results or pickles."""

from __future__ import annotations

import copy
import pickle
import traceback

import pytest

import zego_token
from conftest import DEMO_APP_ID, DEMO_SECRET
from zego_token import ServerSecret
from zego_token.token04 import generate_token04

# A secret with a recognisable value, and fragments of it that must never leak.
SECRET = "S3cr3tValue-0123456789abcdefXYZ!"
FRAGMENTS = [SECRET, SECRET[:12], SECRET[-12:], SECRET[:31], SECRET.encode().hex()[:16]]


def assert_clean(text: str) -> None:
    for fragment in FRAGMENTS:
        assert fragment not in text, text


def test_repr_and_str_are_redacted() -> None:
    s = ServerSecret(SECRET)
    assert repr(s) == "ServerSecret(<redacted>)"
    assert str(s) == "ServerSecret(<redacted>)"
    assert f"{s!r} {s}" == "ServerSecret(<redacted>) ServerSecret(<redacted>)"
    assert not [a for a in dir(s) if not a.startswith("__")]  # no accessor of any kind


def test_cannot_be_pickled_or_copied() -> None:
    s = ServerSecret(SECRET)
    for attempt in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError) as exc:
            attempt(s)
        assert_clean(str(exc.value))


@pytest.mark.parametrize(
    "bad",
    [SECRET[:31], SECRET + "x", SECRET * 2, SECRET * 3, "é" + SECRET[:31], "\ud800" + SECRET[:31]],
)
def test_invalid_secrets_report_lengths_only(bad: str) -> None:
    with pytest.raises(zego_token.InvalidInput) as exc:
        ServerSecret(bad)
    text = "".join(traceback.format_exception(exc.type, exc.value, exc.tb))
    assert "long" in str(exc.value) or "lone surrogate" in str(exc.value)
    assert exc.value.field == "secret"
    assert exc.value.official_code == 5
    assert_clean(text + repr(exc.value.__dict__))
    info = generate_token04(DEMO_APP_ID, "u", bad, 3600, "")
    assert info.error_code == 5
    assert_clean(info.error_message + repr(info))


def test_wrong_types_report_the_type_only() -> None:
    with pytest.raises(TypeError) as exc:
        ServerSecret(SECRET.encode())  # type: ignore[arg-type]
    assert "bytes" in str(exc.value)
    assert_clean(str(exc.value))
    info = generate_token04(DEMO_APP_ID, "u", SECRET.encode(), 3600, "")  # type: ignore[arg-type]
    assert info.error_code == 5
    assert_clean(info.error_message)


def test_refusals_and_results_do_not_carry_it() -> None:
    s = ServerSecret(SECRET)
    g = zego_token.generate(s, DEMO_APP_ID, "u")
    d = zego_token.decode(g.token, s)
    texts = [repr(g), str(d), repr(d), repr(zego_token.inspect(g.token))]
    for call in (
        lambda: zego_token.verify(g.token, ServerSecret(DEMO_SECRET), app_id=DEMO_APP_ID),
        lambda: zego_token.verify(g.token, s, app_id=1),
        lambda: zego_token.verify(g.token, s, app_id=DEMO_APP_ID, now=g.expire + 60),
        lambda: zego_token.generate(s, DEMO_APP_ID, "u", payload="x" * 70_000),
    ):
        with pytest.raises(zego_token.TokenError) as exc:
            call()
        texts.append("".join(traceback.format_exception(exc.type, exc.value, exc.tb)))
        texts.append(repr(exc.value.__dict__))
    for text in texts:
        assert_clean(text)
