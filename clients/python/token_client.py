"""Ask a zego-token service for a ZEGO token04, as an app's backend does before handing
the token to its client. Standard library only (urllib).

    TOKEN_SERVICE_URL=http://127.0.0.1:8080 TOKEN_SERVICE_API_KEY=... python3 token_client.py USER_ID [ROOM_ID]

Prints the service's JSON answer on stdout. 429 is retried after Retry-After, 408, 5xx
and network errors after a short backoff (3 attempts in all); any other refusal is
final: exit 1 with the service's status, code and message on stderr.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

RETRYABLE = {408, 429, 500, 502, 503, 504}


class ServiceError(Exception):
    """A refusal of the service: HTTP status, error code, message, Retry-After (s)."""

    def __init__(
        self, status: int, code: str, message: str, retry_after: float | None
    ) -> None:
        super().__init__(f"token service refused: {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.status in RETRYABLE


def _once(
    base_url: str, api_key: str, body: dict[str, Any], timeout: float
) -> dict[str, Any]:
    req = urllib.request.Request(
        base_url.rstrip("/") + "/v1/token",
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {api_key}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            answer = json.load(resp)
    except urllib.error.HTTPError as err:
        raw = err.read()
        code, message = f"http_{err.code}", err.reason
        try:
            parsed = json.loads(raw)["error"]
            code, message = parsed["code"], parsed["message"]
        except (ValueError, KeyError, TypeError):
            pass
        retry = err.headers.get("Retry-After")
        raise ServiceError(
            err.code,
            code,
            str(message),
            float(retry) if retry and retry.isdigit() else None,
        ) from None
    if not isinstance(answer, dict) or not isinstance(answer.get("token"), str):
        raise ServiceError(200, "bad_answer", "the answer holds no token", None)
    return answer


def fetch_token(
    base_url: str,
    api_key: str,
    user_id: str,
    room_id: str | None = None,
    *,
    attempts: int = 3,
    backoff: float = 1.0,
    timeout: float = 10.0,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """POST /v1/token for `user_id` (a privilege token when `room_id` is given)."""
    body: dict[str, Any] = {"user_id": user_id}
    if room_id is not None:
        body["room_id"] = room_id
    for attempt in range(1, attempts + 1):
        try:
            return _once(base_url, api_key, body, timeout)
        except ServiceError as err:
            if not err.retryable or attempt == attempts:
                raise
            wait = err.retry_after if err.retry_after is not None else backoff
            error: Exception = err
        except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
            if attempt == attempts:
                raise
            wait, error = backoff, err
        if log:
            log(f"retrying in {wait:g} s: {error}")
        time.sleep(wait)
        backoff *= 2
    raise AssertionError("unreachable")


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(
            "usage: token_client.py USER_ID [ROOM_ID]  (env: TOKEN_SERVICE_URL, TOKEN_SERVICE_API_KEY)",
            file=sys.stderr,
        )
        return 2
    url, key = (
        os.environ.get("TOKEN_SERVICE_URL"),
        os.environ.get("TOKEN_SERVICE_API_KEY"),
    )
    if not url or not key:
        print(
            "token_client: set TOKEN_SERVICE_URL and TOKEN_SERVICE_API_KEY",
            file=sys.stderr,
        )
        return 2
    try:
        answer = fetch_token(
            url,
            key,
            argv[1],
            argv[2] if len(argv) == 3 else None,
            log=lambda m: print(m, file=sys.stderr),
        )
    except (ServiceError, urllib.error.URLError, TimeoutError, ConnectionError) as err:
        print(f"token_client: {err}", file=sys.stderr)
        return 1
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
