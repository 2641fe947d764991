"""One ServerSecret shared by many threads: every token is valid and unique."""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Literal

import zego_token
from conftest import DEMO_APP_ID, DEMO_SECRET
from zego_token import Room, ServerSecret
from zego_token.token04 import generate_token04

THREADS = 16
PER_THREAD = 300


def test_many_threads_share_one_secret() -> None:
    secret = ServerSecret(DEMO_SECRET)
    start = threading.Barrier(THREADS)

    def work(n: int) -> list[tuple[str, str]]:
        start.wait()
        out = []
        for i in range(PER_THREAD):
            user = f"t{n}-u{i}"
            mode: Literal["gcm", "cbc"] = "cbc" if i % 5 == 0 else "gcm"
            room = Room(f"r{n}").allow_publish() if i % 2 else None
            g = zego_token.generate(secret, DEMO_APP_ID, user, 60, room=room, mode=mode)
            d = zego_token.verify(g.token, secret, app_id=DEMO_APP_ID, user_id=user)
            assert (d.user_id, d.mode, d.nonce) == (user, mode, g.nonce)
            if room is not None:
                zego_token.verify(
                    g.token, secret, app_id=DEMO_APP_ID, room_id=f"r{n}", publish=True
                )
            drop_in = generate_token04(DEMO_APP_ID, user, DEMO_SECRET, 60, "")
            assert drop_in.error_code == 0
            out.append((g.token, drop_in.token))
        return out

    with ThreadPoolExecutor(THREADS) as pool:
        results = [t for chunk in pool.map(work, range(THREADS)) for t in chunk]
    tokens = [t for pair in results for t in pair]
    assert len(tokens) == 2 * THREADS * PER_THREAD
    assert len(set(tokens)) == len(tokens)
    ivs = {zego_token.inspect(t).iv for t in tokens}
    assert len(ivs) == len(tokens)


def ticks_during(work: Callable[[], object], calls: int) -> int:
    """How often a second thread ran while this one made `calls` calls of `work`.

    The switch interval is set so long that the interpreter never takes the GIL from a
    running thread: the other thread runs only when this one gives the GIL up itself,
    as a call that releases the GIL around its native work does. The other thread hands
    the GIL straight back (sleep(0)) after each tick.
    """
    ticks = 0
    stop = threading.Event()
    running = threading.Event()

    def other() -> None:
        nonlocal ticks
        running.set()
        while not stop.is_set():
            ticks += 1
            time.sleep(0)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    thread = threading.Thread(target=other)
    try:
        thread.start()
        running.wait()
        time.sleep(0.01)
        before = ticks
        for _ in range(calls):
            work()
        return ticks - before
    finally:
        stop.set()
        sys.setswitchinterval(old)
        thread.join()


def test_the_gil_is_released_around_the_crypto() -> None:
    secret = ServerSecret(DEMO_SECRET)
    payload = "x" * 60_000
    made = zego_token.generate(secret, DEMO_APP_ID, "u", payload=payload).token
    # Control: a native call that keeps the GIL lets the other thread run not once.
    data = bytes(60_000)
    assert ticks_during(lambda: data.count(b"x"), 2000) == 0
    assert (
        ticks_during(lambda: zego_token.generate(secret, DEMO_APP_ID, "u", payload=payload), 500)
        > 0
    )
    assert ticks_during(lambda: zego_token.decode(made, secret), 500) > 0
    assert (
        ticks_during(lambda: generate_token04(DEMO_APP_ID, "u", DEMO_SECRET, 60, payload), 500) > 0
    )
