"""Tokens per second of zego_token beside ZEGO's algorithm in plain Python, same run.

    python bench.py [--seconds 0.3] [--rounds 5]

Three contenders make the same basic AES-GCM token04 (app 1234567890, user "user1",
3600 s, empty payload):

* ``python``: the official ``token04.py`` algorithm written out in plain Python with
  pycryptodome, JSON per call, as ZEGO's module does it (its tokens are checked to
  decode with zego_token before timing);
* ``drop-in``: ``zego_token.token04.generate_token04`` with the official signature (the
  secret string is validated and its key schedule built on every call);
* ``reusable``: ``zego_token.generate`` with a ``ServerSecret`` made once.

Each round times every contender for about ``--seconds``; the rounds interleave the
contenders so that machine noise hits all of them alike. The figure per contender is
the median over the rounds, and the ratios are taken against ``python``.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import statistics
import struct
import time
from typing import Callable

from Crypto.Cipher import AES

import zego_token
from zego_token.token04 import generate_token04

APP_ID = 1234567890
USER_ID = "user1"
SECRET = "fa94dd0f974cf2e293728a526b028271"
TTL = 3600
IV_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def official_python(
    app_id: int, user_id: str, secret: str, effective_time_in_seconds: int, payload: str
) -> str:
    """ZEGO's GCM token04 algorithm in plain Python (the baseline)."""
    ctime = int(time.time())
    expire = ctime + effective_time_in_seconds
    claims = {
        "app_id": app_id,
        "user_id": user_id,
        "nonce": random.randint(1, 90000000),
        "ctime": ctime,
        "expire": expire,
        "payload": payload,
    }
    plaintext = json.dumps(claims, separators=(",", ":"), ensure_ascii=False)
    iv = "".join(random.choice(IV_ALPHABET) for _ in range(12)).encode()
    cipher = AES.new(secret.encode(), AES.MODE_GCM, nonce=iv)
    ciphertext, tag = cipher.encrypt_and_digest(plaintext.encode())
    body = (
        struct.pack("!qh", expire, len(iv))
        + iv
        + struct.pack("!h", len(ciphertext) + len(tag))
        + ciphertext
        + tag
        + b"\x01"
    )
    return "04" + base64.b64encode(body).decode()


def rate(fn: Callable[[], object], seconds: float) -> float:
    """Calls per second of ``fn`` over about ``seconds``."""
    n = 64
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed
        n = max(n * 2, int(n * seconds / max(elapsed, 1e-9) * 1.1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=0.3, help="time per contender per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (the median is reported)")
    opts = parser.parse_args()

    secret = zego_token.ServerSecret(SECRET)
    # The baseline is the real algorithm: its tokens decode, with the right claims.
    check = zego_token.decode(official_python(APP_ID, USER_ID, SECRET, TTL, ""), secret)
    assert (check.app_id, check.user_id, check.expire - check.ctime) == (APP_ID, USER_ID, TTL)
    info = generate_token04(APP_ID, USER_ID, SECRET, TTL, "")
    assert info.error_code == 0, info.error_message

    contenders: dict[str, Callable[[], object]] = {
        "python": lambda: official_python(APP_ID, USER_ID, SECRET, TTL, ""),
        "drop-in": lambda: generate_token04(APP_ID, USER_ID, SECRET, TTL, ""),
        "reusable": lambda: zego_token.generate(secret, APP_ID, USER_ID, TTL),
    }
    rates: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(opts.rounds):
        for name, fn in contenders.items():
            rates[name].append(rate(fn, opts.seconds))

    base = statistics.median(rates["python"])
    print(f"basic GCM token04, median of {opts.rounds} rounds of ~{opts.seconds} s each")
    print(f"{'contender':<10} {'tokens/s':>12} {'us/token':>10} {'ratio':>8}")
    for name, rs in rates.items():
        r = statistics.median(rs)
        print(f"{name:<10} {r:>12,.0f} {1e6 / r:>10.2f} {r / base:>7.1f}x")
    dropin = statistics.median(rates["drop-in"]) / base
    reusable = statistics.median(rates["reusable"]) / base
    print(
        f"ratios: drop-in {dropin:.1f}x (target >= 20x), reusable {reusable:.1f}x (target >= 50x)"
    )


if __name__ == "__main__":
    main()
