"""The core's SDK rules as warnings on generate's and decode's results, pasted tokens,
and kit tokens the UIKits could not carry."""

from __future__ import annotations

import pytest

import zego_token
from conftest import DEMO_APP_ID, load_vectors
from zego_token import Room, SdkWarning, ServerSecret, decode, generate


def rules(ws: list[SdkWarning]) -> set[str]:
    return {w.rule for w in ws}


def test_a_clean_token_has_no_warnings(secret: ServerSecret) -> None:
    g = generate(secret, DEMO_APP_ID, "user-42", 3600, room=Room("room-1"))
    assert g.warnings == []
    assert decode(g.token, secret).warnings == []


def test_warnings_name_rule_product_code(secret: ServerSecret) -> None:
    g = generate(secret, DEMO_APP_ID, "josé", 30)
    by_rule = {w.rule: w for w in g.warnings}
    assert set(by_rule) == {"user_id_charset", "ttl_too_short"}
    charset = by_rule["user_id_charset"]
    assert (charset.product, charset.code, charset.blocking) == ("rtc", 1002006, True)
    assert "é" in charset.message
    assert str(charset) == f"{charset.message} (1002006)"
    short = by_rule["ttl_too_short"]
    assert (short.product, short.code) == ("zim", 6000108)
    assert repr(short) == (
        "SdkWarning(rule='ttl_too_short', product='zim', code=6000108, blocking=True)"
    )
    # The token is still made and valid: the rules are the clients', not the format's.
    assert decode(g.token, secret).user_id == "josé"


def test_decoded_tokens_carry_the_same_warnings(secret: ServerSecret) -> None:
    g = generate(secret, DEMO_APP_ID, "u" * 40, 4_000_000_000, room=Room("room one"))
    expected = {"zim_user_id_length", "room_id_charset", "ttl_over_zim_limit", "expire_past_2038"}
    assert rules(g.warnings) == expected
    assert rules(decode(g.token, secret).warnings) == expected
    assert g.warnings is not g.warnings  # a new list each time: nothing to mutate


def test_official_vectors_warn_where_the_rules_say() -> None:
    for v in load_vectors():
        d = decode(v["token"], ServerSecret(v["secret"]))
        assert ("expire_past_2038" in rules(d.warnings)) == (v["expire"] > 2**31 - 1), v["case"]


def test_renew_after(secret: ServerSecret) -> None:
    g = generate(secret, DEMO_APP_ID, "u", 3600)
    assert g.renew_after() == g.expire - 60
    assert g.renew_after(300) == g.expire - 300
    assert generate(secret, DEMO_APP_ID, "u", 30).renew_after() is None


def test_pasted_tokens_are_repaired_or_refused_with_the_cause(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "u").token
    wrapped = ' "' + t[:40] + "\r\n" + t[40:] + '"\n'
    assert decode(wrapped, secret).user_id == "u"
    assert zego_token.verify(wrapped, secret, app_id=DEMO_APP_ID).user_id == "u"
    with pytest.raises(zego_token.Malformed, match="URL-decoded"):
        decode(t.replace("+", " ").replace("/", " ") + " x", secret)
    kit = zego_token.kit_token(t, DEMO_APP_ID, "u", "r1", "name")
    with pytest.raises(zego_token.Malformed, match="kit token"):
        decode(kit, secret)


def test_verify_refuses_empty_expectations(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "u").token
    for kwargs in ({"user_id": ""}, {"room_id": ""}, {"stream_id": ""}):
        with pytest.raises(zego_token.InvalidInput, match="is empty"):
            zego_token.verify(t, secret, app_id=DEMO_APP_ID, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("user", "room", "field"),
    [("josé", "r", "user_id"), ("u", "a b", "room_id"), ("", "r", "user_id")],
)
def test_kit_tokens_refuse_ids_the_kits_mangle(
    secret: ServerSecret, user: str, room: str, field: str
) -> None:
    t = generate(secret, DEMO_APP_ID, "u").token
    with pytest.raises(zego_token.InvalidInput) as exc:
        zego_token.kit_token(t, DEMO_APP_ID, user, room, "Zoë")
    assert exc.value.field == field


def test_payload_presence(secret: ServerSecret) -> None:
    t = generate(secret, DEMO_APP_ID, "u").token
    assert decode(t, secret).payload_present
    raw = b'{"app_id":1234567890,"user_id":"u","nonce":1,"ctime":1,"expire":2}'
    from zego_token.dangerous import seal_plaintext

    kit_helper_style = seal_plaintext(secret, "cbc", 2, b"0" * 16, raw)
    d = decode(kit_helper_style, secret)
    assert (d.payload, d.payload_present) == ("", False)
