#!/usr/bin/env python3
"""Ordinary words a reminder grammar would take for a slip of a time word (not in CI).

    python3 -m venv /tmp/rt && /tmp/rt/bin/pip install wordfreq
    /tmp/rt/bin/python tools/common_words.py [how many of the most frequent words, 20000]

For each language file in src/domain/reminder/languages/, takes the language's
most frequent words (wordfreq's lists), folds them as the tokenizer does (lower
case, accents off) and prints those that `slips::misspelt_time_word` would
point out as a slip of one of the file's `time_words` (one edit for words up to
six letters, two beyond with the same first two letters) and that no table of
any file holds yet, nor the file's `common_words`. Those are words people type
in a task (`de abrir`, `very`, `voir`) that would refuse the reminder with a
wrong "did you mean"; the ones a person would not mean as a time word belong in
the file's `common_words`. Run it after adding time words or a language.
"""

import sys
import tomllib
import unicodedata
from pathlib import Path

import wordfreq

LANGUAGES = Path(__file__).resolve().parent.parent / "src/domain/reminder/languages"


def fold(word):
    word = unicodedata.normalize("NFD", word.lower().replace("\u2019", "'"))
    return "".join(c for c in word if unicodedata.category(c) != "Mn")


def distance(a, b):
    """Damerau-Levenshtein with adjacent swaps, as slips.rs counts."""
    rows = [[i] + [0] * len(b) for i in range(len(a) + 1)]
    rows[0] = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            best = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1,
                       rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, rows[i - 2][j - 2] + 1)
            rows[i][j] = best
    return rows[-1][-1]


def words_of(value, into):
    if isinstance(value, str):
        into.update(value.split())
    elif isinstance(value, list):
        for item in value:
            words_of(item, into)
    elif isinstance(value, dict):
        for item in value.values():
            words_of(item, into)


def slip_of(word, time_words):
    allowed = 1 if len(word) <= 6 else 2
    close = [
        (distance(word, known), known)
        for known in time_words
        if abs(len(known) - len(word)) <= allowed
    ]
    close = [(e, k) for e, k in close if e <= 1 or (e <= allowed and word[:2] == k[:2])]
    return min(close)[1] if close else None


def main():
    most = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    files = {path.stem: tomllib.loads(path.read_text()) for path in sorted(LANGUAGES.glob("*.toml"))}
    known = set()
    words_of(list(files.values()), known)
    for language, file in files.items():
        slips = file["slips"]
        found = {}
        for word in map(fold, wordfreq.top_n_list(language, most)):
            if len(word) < 4 or not word.isalpha() or word in known or word in slips["common_words"]:
                continue
            meant = slip_of(word, slips["time_words"])
            if meant:
                found.setdefault(word, meant)
        print(f"# {language}: {len(found)}")
        print(" ".join(f"{word}>{meant}" for word, meant in found.items()))


if __name__ == "__main__":
    main()
