"""Passphrase → the vault's 256-bit SQLCipher key, with scrypt (memory-hard, standard library).

The cost is tuned per machine when a vault is created and stored in the vault's first
byte (see vault.py). A passphrase change derives a new key under a new salt and
re-encrypts the whole vault, so an old key is worthless afterwards.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass

KEY_BYTES = 32
# Tuning bounds: at least 64 MiB of memory; never more than 1 GiB.
MIN_LOG_N = 16  # 64 MiB: a busy machine must not talk the cost down below this
MAX_LOG_N = 20
TARGET_SECONDS = 0.5


@dataclass(frozen=True)
class KdfParams:
    log_n: int = 17  # N = 2**log_n; memory = 128 * r * N bytes
    r: int = 8
    p: int = 1
    algorithm: str = "scrypt"

    @property
    def memory_bytes(self) -> int:
        return 128 * self.r * (1 << self.log_n)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "KdfParams":
        params = cls(log_n=int(d["log_n"]), r=int(d["r"]), p=int(d["p"]),
                     algorithm=str(d.get("algorithm", "scrypt")))
        if params.algorithm != "scrypt":
            raise ValueError("unknown kdf")
        if not (10 <= params.log_n <= 24 and 1 <= params.r <= 32 and 1 <= params.p <= 16):
            raise ValueError("kdf parameters out of range")
        return params


# Cheap parameters for tests only; never used by the app itself.
FAST_PARAMS = KdfParams(log_n=10, r=8, p=1)


def passphrase_bytes(passphrase: str) -> bytes:
    # surrogatepass keeps lone surrogates (possible from some input methods) usable.
    return passphrase.encode("utf-8", "surrogatepass")


def derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return hashlib.scrypt(
        passphrase_bytes(passphrase), salt=salt, n=1 << params.log_n, r=params.r, p=params.p,
        maxmem=params.memory_bytes * 2 + (1 << 20), dklen=KEY_BYTES,
    )


def tune(target_seconds: float = TARGET_SECONDS) -> tuple[KdfParams, float]:
    """Pick the largest N (doubling) whose derivation stays near the target on this machine.

    Returns the parameters and the measured seconds for them.
    """
    salt = b"\x00" * 16
    log_n = MIN_LOG_N
    elapsed = 0.0
    while True:
        params = KdfParams(log_n=log_n)
        start = time.perf_counter()
        derive("tuning", salt, params)
        elapsed = time.perf_counter() - start
        # Doubling N doubles the time, so the first N at or over the target lands in
        # [target, 2 x target): 0.5-1 s for the default.
        if elapsed >= target_seconds or log_n >= MAX_LOG_N:
            return params, elapsed
        log_n += 1
