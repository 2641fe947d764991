"""The exceptions of zego_token: one class per reason a token is refused.

Every exception carries what the core says about the reason:

* ``kind``: a stable machine-readable name (``"expired"``, ``"malformed"``, ...);
* ``zego_code`` / ``zim_code``: the error code ZEGO's RTC / ZIM SDKs show when ZEGO's
  server refuses a token for that reason (``None`` where there is none);
* ``advice``: a sentence saying what to do about it.

No exception ever carries the ServerSecret, key bytes or decrypted plaintext.
"""

from __future__ import annotations

from typing import Any


class TokenError(Exception):
    """Base class: a token could not be generated, read or accepted."""

    kind: str = "token_error"
    zego_code: int | None = None
    zim_code: int | None = None
    advice: str = ""

    def __init__(
        self,
        message: str,
        *,
        kind: str | None = None,
        zego_code: int | None = None,
        zim_code: int | None = None,
        advice: str = "",
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind
        self.zego_code = zego_code
        self.zim_code = zim_code
        self.advice = advice
        for name, value in details.items():
            setattr(self, name, value)

    def __reduce__(self) -> Any:
        state = dict(self.__dict__)
        message = state.pop("message")
        return (_rebuild, (type(self), message, state))

    def __str__(self) -> str:
        return self.message


def _rebuild(cls: type[TokenError], message: str, state: dict[str, Any]) -> TokenError:
    return cls(message, **state)


class InvalidInput(TokenError, ValueError):
    """An input to a generator breaks a rule; ``field`` names it and ``official_code``
    gives the official generators' code for it (1 app_id, 3 user_id, 5 secret,
    6 effective time; ``None`` for rules they do not check)."""

    kind = "invalid_input"
    field: str
    official_code: int | None


class Malformed(TokenError):
    """The text is not a well-formed token04 (prefix, base64, lengths)."""

    kind = "malformed"


class WrongVersion(Malformed):
    """The text is not a token04 (it does not start with ``04``)."""

    kind = "wrong_version"


class DecryptFailed(TokenError):
    """The token cannot be decrypted with this ServerSecret: another app's or secret's
    token, or a changed one. Deliberately one opaque reason (no padding oracle)."""

    kind = "decrypt"


class InvalidClaims(TokenError):
    """The token decrypted but its claims are not a valid claims document; ``member``
    names the claim at fault, or is ``None``."""

    kind = "invalid_claims"
    member: str | None


class InvalidPayload(TokenError):
    """The payload is not a room privilege document."""

    kind = "invalid_payload"


class Expired(TokenError):
    """The token expired (plus leeway) before ``now``; ``expired_at`` is its expire."""

    kind = "expired"
    expired_at: int
    now: int


class NotYetValid(TokenError):
    """The token's creation time ``ctime`` lies after ``now`` (beyond the leeway)."""

    kind = "not_yet_valid"
    ctime: int
    now: int


class AppIdMismatch(TokenError):
    """The token is for app ``found``, not ``expected``."""

    kind = "app_id_mismatch"
    expected: int
    found: int


class UserIdMismatch(TokenError):
    """The token is for user ``found``, not ``expected``."""

    kind = "user_id_mismatch"
    expected: str
    found: str


class RoomMismatch(TokenError):
    """The token pins room ``found`` (``None``: a basic token), not ``expected``."""

    kind = "room_mismatch"
    expected: str
    found: str | None


class PrivilegeMissing(TokenError):
    """The token does not grant ``privilege`` (``"login"`` or ``"publish"``)."""

    kind = "privilege_missing"
    privilege: str


class StreamNotAllowed(TokenError):
    """The token's stream list does not include ``stream_id``."""

    kind = "stream_not_allowed"
    stream_id: str


_BY_KIND: dict[str, type[TokenError]] = {
    cls.kind: cls
    for cls in (
        InvalidInput,
        Malformed,
        WrongVersion,
        DecryptFailed,
        InvalidClaims,
        InvalidPayload,
        Expired,
        NotYetValid,
        AppIdMismatch,
        UserIdMismatch,
        RoomMismatch,
        PrivilegeMissing,
        StreamNotAllowed,
    )
}


# Shown as zego_token.Expired (and pickled by that name), where users import them from.
for _cls in (TokenError, *_BY_KIND.values()):
    _cls.__module__ = "zego_token"


def _from_native(
    kind: str,
    message: str,
    zego_code: int | None,
    zim_code: int | None,
    advice: str,
    details: dict[str, Any],
) -> TokenError:
    """Called by the extension module: the exception for a core error of ``kind``."""
    cls = _BY_KIND.get(kind, TokenError)
    return cls(message, kind=kind, zego_code=zego_code, zim_code=zim_code, advice=advice, **details)
