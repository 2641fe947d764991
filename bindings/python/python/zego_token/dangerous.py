"""Operations that bypass the safeguards of the everyday API (the core's ``dangerous``).

For known-answer tests only: ``seal_plaintext(secret, mode, expire, iv, plaintext)``
encrypts any plaintext with a given IV into a token04 envelope. Reusing an IV or GCM
nonce under one ServerSecret breaks AES-GCM completely (whoever holds two such tokens
can forge others); production code never needs this module.
"""

from ._native import seal_plaintext

__all__ = ["seal_plaintext"]
