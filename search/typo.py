"""Typo tolerance: how many typos a word may have, candidates, and edit distance.

The rules follow Meilisearch's defaults: a word of 5 to 8 letters may have one
typo, a word of 9 or more letters two, and a typo in the first letter counts
like any other. Candidates are found with symmetric deletion (SymSpell): every
vocabulary word is stored with the strings obtained by deleting up to two of
its letters; a query word's own deletions are looked up among them, and each
candidate is verified with the Damerau-Levenshtein distance (restricted: one
transposition of adjacent letters counts as one typo).
"""

from __future__ import annotations

ONE_TYPO_FROM = 5
TWO_TYPOS_FROM = 9


def typo_budget(word: str) -> int:
    """Typos allowed in a word of this length (digits never get typos)."""
    if word.isdigit() or len(word) < ONE_TYPO_FROM:
        return 0
    return 2 if len(word) >= TWO_TYPOS_FROM else 1


def deletions(word: str, depth: int) -> set[str]:
    """``word`` with up to ``depth`` letters deleted (including ``word`` itself)."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        nxt: set[str] = set()
        for w in frontier:
            if len(w) <= 1:
                continue
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        nxt -= found
        found |= nxt
        frontier = nxt
    return found


def index_depth(key: str) -> int:
    """How many deletions to store for a vocabulary key.

    A query word of 9+ letters may have two typos; its key can be two letters
    shorter or longer than the word it should find, so keys from 4 letters get
    one deletion and keys from 6 letters two.
    """
    if key.isdigit() or len(key) < 4:
        return 0
    return 2 if len(key) >= 6 else 1


def distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, or ``limit + 1`` when it exceeds ``limit``."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        best = cur[0]
        ca = a[i - 1]
        for j in range(1, lb + 1):
            cb = b[j - 1]
            cost = 0 if ca == cb else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[lb] if prev[lb] <= limit else limit + 1
