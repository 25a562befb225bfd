"""General language knowledge for Dutch and English notes, from libraries that ship their data.

- Words and their frequency: `wordfreq` (Dutch and English lists inside the
  package, from many sources). A word's frequency tells how much it says: very
  common words ("de", "the", "is") weigh next to nothing, so no hand-made
  stopword list is needed.
- The language of a short note: the summed frequency of its words in each
  language (measured better on 2-8 word notes than lingua or simplemma's own
  detector; docs/synthesis.md).
- Word forms: `simplemma` lemmas (taken/taak, werkdagen/werkdag, meetings/meeting),
  applied until stable.
- Dutch compounds: split where both parts are common words and the whole is
  rare (warmtepompsubsidie -> warmte + pomp + subsidie), with frequencies from
  wordfreq; derivational endings (-heid, -ing) are never a part.

Everything is cached per word: a workshop repeats its words.
"""

import re
import unicodedata
from functools import lru_cache

import simplemma
import wordfreq

LANGUAGES = ("nl", "en")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+", re.UNICODE)

# Compound splitting (tuned on word lists, not on the labelled notes: docs/synthesis.md).
PART_ZIPF = 3.0  # each part at least this common
WHOLE_ZIPF = 3.5  # split only words rarer than this
MIN_PART = 4
LINK_PENALTY = 0.5  # a head read through a linking -s-/-e-/-en- must be clearly better
SUFFIX_TAILS = frozenset(
    {
        *("heid", "heden", "ling", "lingen", "baar", "lijk", "schap", "isme", "iteit"),
        *("ing", "ingen", "tie", "ties", "atie", "erij", "ster", "tje", "tjes"),
        *("loos", "zaam", "achtig"),
    }
)


def fold(text: str) -> str:
    """Lowercase without accents: `Coördinatie` -> `coordinatie`."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The words of a text, lowercased, hyphenated words apart (`AI-tools` -> ai, tools)."""
    return [w.lower() for w in _WORD.findall(text.replace("-", " ").replace("/", " "))]


@lru_cache(maxsize=200_000)
def zipf(word: str, language: str) -> float:
    """How common a word is in a language: 0 (unknown) to about 8 ("de", "the")."""
    return float(wordfreq.zipf_frequency(word, language))


def commonness(word: str) -> float:
    """How common a word is in either language."""
    return max(zipf(word, "nl"), zipf(word, "en"))


def language_of(tokens: list[str], default: str) -> str:
    """The language a short note is written in; the workshop's when the words do not tell."""
    scores = {lang: sum(zipf(w, lang) for w in tokens) for lang in LANGUAGES}
    nl, en = scores["nl"], scores["en"]
    if abs(nl - en) < 0.5:
        return default
    return "nl" if nl > en else "en"


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """A word's dictionary form in its note's language (the other language as a fallback)."""
    other = "en" if language == "nl" else "nl"
    current = word
    for _ in range(3):  # a lemma can lemmatize again: kopjes -> kopje -> kop
        following = simplemma.lemmatize(current, lang=(language, other)).lower()
        if following == current:
            break
        current = following
    return current


def _heads(head: str) -> list[tuple[str, float]]:
    found = [(head, 0.0)]
    if head.endswith("s") and len(head) > 3:
        found.append((head[:-1], LINK_PENALTY))  # personeel-s-tekort
    if head.endswith("en") and len(head) > 4:
        found.append((head[:-2], LINK_PENALTY))  # fietsen-stalling
    if head.endswith("e") and len(head) > 3:
        stem = head[:-1]
        found.append((stem, LINK_PENALTY))
        if len(stem) > 2 and stem[-1] == stem[-2]:
            found.append((stem[:-1], LINK_PENALTY))  # zonne-panelen -> zon
    return found


def _split_once(word: str) -> tuple[str, str] | None:
    if zipf(word, "nl") >= WHOLE_ZIPF or len(word) < 2 * MIN_PART:
        return None
    best: tuple[float, str, str] | None = None
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        if tail in SUFFIX_TAILS:
            continue
        tail_zipf = zipf(tail, "nl")
        if tail_zipf < PART_ZIPF:
            continue
        for candidate, penalty in _heads(head):
            if len(candidate) < MIN_PART - (1 if candidate != head else 0):
                continue
            score = min(zipf(candidate, "nl"), tail_zipf) - penalty
            if score >= PART_ZIPF and (best is None or score > best[0]):
                best = (score, candidate, tail)
    return None if best is None else (best[1], best[2])


@lru_cache(maxsize=100_000)
def compound_parts(word: str, depth: int = 3) -> tuple[str, ...]:
    """A Dutch compound's parts (up to three levels), or the word alone."""
    found = _split_once(word) if depth > 0 else None
    if found is None:
        return (word,)
    head, tail = found
    return compound_parts(head, depth - 1) + compound_parts(tail, depth - 1)
