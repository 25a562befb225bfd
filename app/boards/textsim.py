"""Pure text features for grouping notes by meaning: stems, compound parts, concepts."""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.boards.lexicon import CONCEPTS, STOPWORDS, TRANSLATIONS

_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
# Longest first: the first that leaves a stem of three letters or more is removed.
_SUFFIXES = (
    "etjes",
    "ingen",
    "heden",
    "tjes",
    "ties",
    "heid",
    "ing",
    "jes",
    "tje",
    "ies",
    "ers",
    "en",
    "es",
    "je",
    "er",
    "s",
    "e",
)
_KEEP_S = ("ss", "us", "is", "os")


def fold(text: str) -> str:
    """Lowercase without accents: `Privé-leven` -> `prive-leven`."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """A light stem shared by Dutch and English: plural, diminutive and -ing forms meet."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(_KEEP_S):
                continue
            word = word[: -len(suffix)]
            break
    # Dutch spells one vowel twice in closed syllables (taak, taken): collapse both forms.
    word = re.sub(r"([aeou])\1", r"\1", word)
    # And doubles the consonant before -en (pakken, pak): undouble at the end.
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    # Voiced before a vowel, voiceless at the end: lieve/lief, reizen/reis.
    if word.endswith("v"):
        word = word[:-1] + "f"
    elif word.endswith("z") and len(word) > 3:
        word = word[:-1] + "s"
    return word


def tokens(text: str) -> list[str]:
    """Content words of a text, folded, split on hyphens, in Dutch, without stopwords."""
    words = _WORD.findall(fold(text).replace("-", " "))
    return [TRANSLATIONS.get(w, w) for w in words if w not in STOPWORDS]


def _phrase(term: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in tokens(term))


@dataclass
class ConceptIndex:
    """Lexicon terms, stemmed once, by concept."""

    single: dict[str, set[str]] = field(default_factory=dict)
    phrases: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    compound_parts: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def build(cls, concepts: dict[str, tuple[str, ...]]) -> "ConceptIndex":
        """Stem every term of every concept."""
        index = cls()
        for concept, terms in concepts.items():
            for term in terms:
                words = _phrase(term)
                if not words:
                    continue
                if len(words) == 1:
                    index.single.setdefault(words[0], set()).add(concept)
                    if len(words[0]) >= 5:
                        index.compound_parts.append((words[0], concept))
                else:
                    index.phrases.append((words, concept))
        return index

    def concepts_of(self, stems: list[str]) -> set[str]:
        """Every concept a stemmed text names, as a word, a phrase or a compound part."""
        found: set[str] = set()
        for word in stems:
            found |= self.single.get(word, set())
            if len(word) >= 7:
                for part, concept in self.compound_parts:
                    if part != word and (word.startswith(part) or word.endswith(part)):
                        found.add(concept)
        for words, concept in self.phrases:
            n = len(words)
            if any(tuple(stems[i : i + n]) == words for i in range(len(stems) - n + 1)):
                found.add(concept)
        return found


CONCEPT_INDEX = ConceptIndex.build(CONCEPTS)


def split_compound(word: str, vocabulary: set[str]) -> list[str]:
    """Split a Dutch compound into two known words (with a linking s or e), if it is one."""
    if len(word) < 8:
        return []
    for cut in range(4, len(word) - 3):
        head, tail = word[:cut], word[cut:]
        for link in ("", "s", "e"):
            if link and not head.endswith(link):
                continue
            core = head[: len(head) - len(link)] if link else head
            if len(core) >= 3 and stem(core) in vocabulary and stem(tail) in vocabulary:
                return [stem(core), stem(tail)]
    return []


@dataclass
class NoteFeatures:
    """What a note says, as weighted sparse features."""

    stems: list[str]
    concepts: set[str]
    vector: dict[str, float]


def char_grams(word: str, n: int = 4) -> Iterable[str]:
    """Character n-grams of a word padded with spaces (short words count whole)."""
    padded = f" {word} "
    if len(padded) <= n:
        yield "#" + padded
        return
    for i in range(len(padded) - n + 1):
        yield "#" + padded[i : i + n]


CONCEPT_WEIGHT = 3.0
WORD_WEIGHT = 1.0
GRAM_WEIGHT = 0.5


def featurise(texts: list[str]) -> list[NoteFeatures]:
    """TF-IDF vectors over stems, compound parts, concepts and character 4-grams."""
    stemmed = [[stem(w) for w in tokens(t)] for t in texts]
    vocabulary = {s for words in stemmed for s in words if len(s) >= 3}
    raw: list[tuple[list[str], set[str], Counter[str]]] = []
    for words in stemmed:
        expanded = list(words)
        for word in words:
            expanded += split_compound(word, vocabulary)
        concepts = CONCEPT_INDEX.concepts_of(expanded)
        counts: Counter[str] = Counter()
        for word in set(expanded):
            counts["w:" + word] = 1
            for gram in char_grams(word):
                counts[gram] += 1
        for concept in concepts:
            counts["c:" + concept] = 1
        raw.append((expanded, concepts, counts))
    df: Counter[str] = Counter()
    for _, _, counts in raw:
        df.update(counts.keys())
    n = max(1, len(texts))
    out = []
    for expanded, concepts, counts in raw:
        vector: dict[str, float] = {}
        for feature, tf in counts.items():
            idf = math.log((1 + n) / (1 + df[feature])) + 1
            kind = feature[0]
            weight = CONCEPT_WEIGHT if kind == "c" else WORD_WEIGHT if kind == "w" else GRAM_WEIGHT
            vector[feature] = weight * (1 + math.log(tf)) * idf
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        out.append(NoteFeatures(expanded, concepts, {k: v / norm for k, v in vector.items()}))
    return out
