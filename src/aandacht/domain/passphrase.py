"""Passphrase strength feedback and the unlock throttle (pure logic, no Qt, no clock)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MIN_LENGTH = 10

# A handful of patterns people reach for first; enough to warn, not a dictionary attack model.
_WEAK = re.compile(
    r"(wachtwoord|password|welkom|geheim|qwerty|azerty|123456|abcdef|gemeente|aandacht|letmein)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (zeer zwak) .. 4 (sterk)
    label: str
    hint: str
    acceptable: bool


LABELS = ("Zeer zwak", "Zwak", "Redelijk", "Goed", "Sterk")


def estimate_bits(passphrase: str) -> float:
    words = [w for w in re.split(r"[\s\-_.,]+", passphrase) if len(w) >= 3]
    pool = 0
    if re.search(r"[a-z]", passphrase):
        pool += 26
    if re.search(r"[A-Z]", passphrase):
        pool += 26
    if re.search(r"\d", passphrase):
        pool += 10
    if re.search(r"[^\w\s]", passphrase):
        pool += 32
    if re.search(r"[^\x00-\x7f]", passphrase):
        pool += 64
    if re.search(r"\s", passphrase):
        pool += 1
    char_bits = len(passphrase) * math.log2(pool) if pool else 0.0
    # Character counting overrates long plain words; a word counts for ~11 bits at most.
    word_bits = len(words) * 11.0 if len(words) >= 3 else 0.0
    bits = max(char_bits * 0.6, word_bits)
    if _WEAK.search(passphrase):
        bits *= 0.5
    if len(set(passphrase)) <= 3:
        bits = min(bits, 10.0)
    return bits


def strength(passphrase: str) -> Strength:
    if not passphrase:
        return Strength(0, LABELS[0], "Kies een wachtwoordzin van een paar woorden.", False)
    bits = estimate_bits(passphrase)
    score = 0 if bits < 28 else 1 if bits < 40 else 2 if bits < 55 else 3 if bits < 70 else 4
    if len(passphrase) < MIN_LENGTH:
        return Strength(min(score, 1), LABELS[min(score, 1)],
                        f"Gebruik ten minste {MIN_LENGTH} tekens; vier losse woorden werken goed.",
                        False)
    if score < 2:
        return Strength(score, LABELS[score],
                        "Te voorspelbaar. Maak er een zin van vier of meer woorden van.", False)
    hint = {2: "Bruikbaar. Een extra woord maakt hem sterker.",
            3: "Goede wachtwoordzin.", 4: "Sterke wachtwoordzin."}[score]
    return Strength(score, LABELS[score], hint, True)


class UnlockThrottle:
    """After FREE_TRIES wrong passphrases each further try waits longer (2, 4, 8 … 300 s).

    The caller supplies the time so the rule is testable without sleeping.
    """

    FREE_TRIES = 5
    MAX_DELAY = 300.0

    def __init__(self) -> None:
        self.failures = 0
        self._blocked_until = 0.0

    def failed(self, now: float) -> float:
        """Record a failure; returns the seconds to wait before the next try (0 if none)."""
        self.failures += 1
        if self.failures < self.FREE_TRIES:
            return 0.0
        delay = min(self.MAX_DELAY, 2.0 ** (self.failures - self.FREE_TRIES + 1))
        self._blocked_until = now + delay
        return delay

    def succeeded(self) -> None:
        self.failures = 0
        self._blocked_until = 0.0

    def wait_left(self, now: float) -> float:
        return max(0.0, self._blocked_until - now)
