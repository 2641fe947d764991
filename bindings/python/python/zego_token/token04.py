"""Drop-in replacement for ZEGO's official ``token04.py``.

Change one import line::

    from zego_token.token04 import generate_token04   # was: from src import token04

and keep every call: ``generate_token04(app_id, user_id, secret,
effective_time_in_seconds, payload)`` returns a ``TokenInfo`` with ``token``,
``error_code`` and ``error_message``. Bad input gives the official codes (1 app_id,
3 user_id, 5 secret, 6 effective time) with an empty token and no exception, as the
official module does. The token is AES-256-GCM, like the official module's; its IV and
claims nonce come from an OS-seeded CSPRNG instead of ``random``.

Differences, all stricter: user ids of 64 bytes or more get code 3 (ZEGO's SDKs refuse
them), app ids above 4294967295 get code 1, effective times that overflow get code 6.
A payload that is not a ``str`` raises ``TypeError``; claims too large for a token
raise ``zego_token.InvalidInput`` (the official module raised ``struct.error``).
"""

from ._native import TokenInfo, generate_token04

ERROR_CODE_SUCCESS = 0
ERROR_CODE_APP_ID_INVALID = 1
ERROR_CODE_USER_ID_INVALID = 3
ERROR_CODE_SECRET_INVALID = 5
ERROR_CODE_EFFECTIVE_TIME_IN_SECONDS_INVALID = 6

__all__ = [
    "ERROR_CODE_APP_ID_INVALID",
    "ERROR_CODE_EFFECTIVE_TIME_IN_SECONDS_INVALID",
    "ERROR_CODE_SECRET_INVALID",
    "ERROR_CODE_SUCCESS",
    "ERROR_CODE_USER_ID_INVALID",
    "TokenInfo",
    "generate_token04",
]
