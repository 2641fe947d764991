"""ZEGO token04 credentials on the zego-token Rust core.

Generate, decode, verify and explain the tokens ZEGO's RTC and ZIM servers require::

    from zego_token import Room, ServerSecret, generate, verify

    secret = ServerSecret("fa94dd0f974cf2e293728a526b028271")   # once per app
    made = generate(secret, 1234567890, "user-42", ttl=3600,
                    room=Room("room-1").allow_publish().streams(["s1"]))
    checked = verify(made.token, secret, app_id=1234567890, user_id="user-42",
                     room_id="room-1")

``zego_token.token04`` is a drop-in for ZEGO's official ``token04.py``. Every function
releases the GIL while it encrypts or decrypts; all objects are immutable and safe to
share between threads.
"""

from ._errors import (
    AppIdMismatch,
    DecryptFailed,
    Expired,
    InvalidClaims,
    InvalidInput,
    InvalidPayload,
    Malformed,
    NotYetValid,
    PrivilegeMissing,
    RoomMismatch,
    StreamNotAllowed,
    TokenError,
    UserIdMismatch,
    WrongVersion,
)
from ._native import (
    DEFAULT_LEEWAY,
    MAX_CLAIMS_LEN,
    MAX_TOKEN_LEN,
    ROOM_ID_LIMIT,
    SECRET_LEN,
    STREAM_ID_LIMIT,
    USER_ID_LIMIT,
    Decoded,
    Generated,
    Room,
    SdkWarning,
    ServerSecret,
    UntrustedEnvelope,
    decode,
    decode_kit_info,
    generate,
    inspect,
    kit_token,
    verify,
)

__all__ = [
    "DEFAULT_LEEWAY",
    "MAX_CLAIMS_LEN",
    "MAX_TOKEN_LEN",
    "ROOM_ID_LIMIT",
    "SECRET_LEN",
    "STREAM_ID_LIMIT",
    "USER_ID_LIMIT",
    "AppIdMismatch",
    "Decoded",
    "DecryptFailed",
    "Expired",
    "Generated",
    "InvalidClaims",
    "InvalidInput",
    "InvalidPayload",
    "Malformed",
    "NotYetValid",
    "PrivilegeMissing",
    "Room",
    "RoomMismatch",
    "SdkWarning",
    "ServerSecret",
    "StreamNotAllowed",
    "TokenError",
    "UntrustedEnvelope",
    "UserIdMismatch",
    "WrongVersion",
    "decode",
    "decode_kit_info",
    "generate",
    "inspect",
    "kit_token",
    "verify",
]
