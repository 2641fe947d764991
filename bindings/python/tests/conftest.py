"""Shared fixtures: the official vectors (read from the core's test data, never copied)
and the demo app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import zego_token

# bindings/python/tests/conftest.py -> the repository root.
ROOT = Path(__file__).resolve().parents[3]
VECTORS = ROOT / "crates" / "zego-token" / "tests" / "vectors" / "token04.json"

DEMO_APP_ID = 1234567890
DEMO_SECRET = "fa94dd0f974cf2e293728a526b028271"


def load_vectors() -> list[dict[str, Any]]:
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    assert len(data) == 71, f"expected the 71 official vectors, found {len(data)}"
    return data


@pytest.fixture(scope="session")
def secret() -> zego_token.ServerSecret:
    return zego_token.ServerSecret(DEMO_SECRET)
