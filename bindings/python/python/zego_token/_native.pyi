# Type stubs of the extension module zego_token._native (src/*.rs).
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal, final

SECRET_LEN: int
USER_ID_LIMIT: int
ROOM_ID_LIMIT: int
STREAM_ID_LIMIT: int
MAX_CLAIMS_LEN: int
MAX_TOKEN_LEN: int

Mode = Literal["gcm", "cbc"]

@final
class ServerSecret:
    """A validated ServerSecret with its AES keys prepared; repr is redacted."""

    def __init__(self, secret: str) -> None: ...

@final
class Room:
    """The room privilege payload of a privilege token (immutable)."""

    def __init__(
        self,
        room_id: str,
        *,
        login: bool = True,
        publish: bool = False,
        streams: Iterable[str] | None = None,
    ) -> None: ...
    @property
    def room_id(self) -> str: ...
    @property
    def login(self) -> bool: ...
    @property
    def publish(self) -> bool: ...
    @property
    def stream_ids(self) -> list[str] | None: ...
    def allow_login(self) -> Room: ...
    def deny_login(self) -> Room: ...
    def allow_publish(self) -> Room: ...
    def deny_publish(self) -> Room: ...
    def stream(self, stream_id: str) -> Room: ...
    def streams(self, stream_ids: Iterable[str]) -> Room: ...
    def to_json(self) -> str: ...
    def __eq__(self, other: object) -> bool: ...

@final
class Generated:
    """A token made by generate(); str() is the token."""

    @property
    def token(self) -> str: ...
    @property
    def mode(self) -> Mode: ...
    @property
    def ctime(self) -> int: ...
    @property
    def expire(self) -> int: ...
    @property
    def nonce(self) -> int: ...

@final
class Decoded:
    """A token decrypted with its ServerSecret."""

    @property
    def app_id(self) -> int: ...
    @property
    def user_id(self) -> str: ...
    @property
    def nonce(self) -> int: ...
    @property
    def ctime(self) -> int: ...
    @property
    def expire(self) -> int: ...
    @property
    def payload(self) -> str: ...
    @property
    def mode(self) -> Mode: ...
    @property
    def iv(self) -> bytes: ...
    @property
    def header_expire(self) -> int: ...
    def room(self) -> Room | None: ...

@final
class UntrustedEnvelope:
    """A token's header read without the secret; nothing in it is authenticated."""

    @property
    def untrusted_expire(self) -> int: ...
    @property
    def mode(self) -> Mode: ...
    @property
    def iv(self) -> bytes: ...
    @property
    def has_mode_byte(self) -> bool: ...
    @property
    def ciphertext_len(self) -> int: ...
    def to_token(self) -> str: ...

@final
class TokenInfo:
    """The result of token04.generate_token04, as in ZEGO's module."""

    token: str
    error_code: int
    error_message: str
    def __init__(self, token: str, error_code: int, error_message: str) -> None: ...

def generate(
    secret: ServerSecret,
    app_id: int,
    user_id: str,
    ttl: int | timedelta | None = 3600,
    *,
    room: Room | None = None,
    payload: str | None = None,
    mode: Mode = "gcm",
) -> Generated: ...
def decode(token: str, secret: ServerSecret) -> Decoded: ...
def inspect(token: str) -> UntrustedEnvelope: ...
def verify(
    token: str,
    secret: ServerSecret,
    *,
    app_id: int,
    user_id: str | None = None,
    room_id: str | None = None,
    publish: bool = False,
    stream_id: str | None = None,
    leeway: int | timedelta | None = None,
    now: int | float | datetime | None = None,
) -> Decoded: ...
def kit_token(token04: str, app_id: int, user_id: str, room_id: str, user_name: str) -> str: ...
def decode_kit_info(info: str) -> str: ...
def generate_token04(
    app_id: int,
    user_id: str,
    secret: str,
    effective_time_in_seconds: int,
    payload: str,
) -> TokenInfo: ...
def seal_plaintext(
    secret: ServerSecret, mode: Mode, expire: int, iv: bytes, plaintext: bytes
) -> str: ...
