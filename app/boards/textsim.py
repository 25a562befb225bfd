"""Pure text features for grouping notes by meaning: lemmas, compound parts, word shapes.

A note becomes a weighted sparse vector over:

- `w:` its words' lemmas (in the note's own language), each weighted by how
  little the word is used in general (wordfreq): "hitte" says more than "meer";
- the parts of its Dutch compounds (`warmtepompsubsidie` -> warmte, pomp,
  subsidie), a little less;
- `g:` character 4-grams of each lemma, a little: typos ("zonnepaneele") and
  cognates across the two languages ("klimaat", "climate") still meet;
- `c:` concepts of the optional subject lexicon (app/boards/lexicon.py), whose
  English workplace words are also read as their Dutch equivalents.

Vectors are TF-IDF over the notes being grouped, L2-normalised; similarity is
the cosine. Weights are chosen leave-one-subject-out (docs/synthesis.md).
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from app.boards import language
from app.boards.language import commonness, compound_parts, fold, language_of, lemma, words
from app.boards.lexicon import CONCEPTS, TRANSLATIONS


@dataclass(frozen=True)
class Weights:
    """How much each kind of feature counts, and when a word is too common to count."""

    word: float = 1.0
    part: float = 0.7
    gram: float = 0.3
    concept: float = 2.0
    stop: float = 6.2  # words at least this common (zipf, either language) say nothing


DEFAULT_WEIGHTS = Weights()


@dataclass
class NoteFeatures:
    """What a note says: its language, its lemmas (parts included) and its vector."""

    language: str
    lemmas: list[str]
    vector: dict[str, float] = field(default_factory=dict)


def _rarity(common: float) -> float:
    # 7 or more ("de", "the") -> 0; a rare word (zipf 2) -> 1.5.
    return max(0.0, min(1.5, (7.0 - common) / 3.0))


def char_grams(word: str, n: int = 4) -> list[str]:
    """Character n-grams of a word padded with spaces (a short word counts whole)."""
    padded = f" {word} "
    if len(padded) <= n:
        return [padded]
    return [padded[i : i + n] for i in range(len(padded) - n + 1)]


@dataclass
class ConceptIndex:
    """The subject lexicon's terms, lemmatised once, by concept."""

    single: dict[str, set[str]] = field(default_factory=dict)
    phrases: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    compound_parts: list[tuple[str, str]] = field(default_factory=list)
    # Parts by their first and last five letters: a long word is checked against few.
    by_start: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    by_end: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def build(cls, concepts: dict[str, tuple[str, ...]]) -> "ConceptIndex":
        """Lemmatise every term of every concept, in both languages."""
        index = cls()
        for concept, terms in concepts.items():
            for term in terms:
                for lang in language.LANGUAGES:
                    lemmas = tuple(fold(lemma(w, lang)) for w in words(term))
                    if not lemmas:
                        continue
                    if len(lemmas) == 1:
                        index.single.setdefault(lemmas[0], set()).add(concept)
                        if len(lemmas[0]) >= 5:
                            index.compound_parts.append((lemmas[0], concept))
                    else:
                        index.phrases.append((lemmas, concept))
        index.compound_parts = sorted(set(index.compound_parts))
        for phrase, concept in index.phrases:
            index.by_first.setdefault(phrase[0], []).append((phrase, concept))
        for part, concept in index.compound_parts:
            index.by_start.setdefault(part[:5], []).append((part, concept))
            index.by_end.setdefault(part[-5:], []).append((part, concept))
        return index

    def concepts_of(self, lemmas: list[str]) -> set[str]:
        """Every concept a note's lemmas name: as a word, a phrase, or inside a compound."""
        found: set[str] = set()
        for word in lemmas:
            found |= self.single.get(word, set())
            if len(word) >= 7:
                for part, concept in self.by_start.get(word[:5], ()):
                    if part != word and word.startswith(part):
                        found.add(concept)
                for part, concept in self.by_end.get(word[-5:], ()):
                    if part != word and word.endswith(part):
                        found.add(concept)
        for i, word in enumerate(lemmas):
            for phrase, concept in self.by_first.get(word, ()):
                if tuple(lemmas[i : i + len(phrase)]) == phrase:
                    found.add(concept)
        return found


@lru_cache(maxsize=1)
def concept_index() -> ConceptIndex:
    """The subject lexicon's concepts, built on first use."""
    return ConceptIndex.build(CONCEPTS)


@lru_cache(maxsize=1)
def translations() -> dict[str, str]:
    """The subject lexicon's English workplace words, by lemma, as Dutch lemmas."""
    return {fold(lemma(en, "en")): fold(lemma(nl, "nl")) for en, nl in TRANSLATIONS.items()}


@lru_cache(maxsize=100_000)
def _word_features(
    word: str, lang: str, weights: Weights, lexicon: bool
) -> tuple[tuple[str, float], ...]:
    common = commonness(word)
    if common >= weights.stop:
        return ()
    rarity = _rarity(common)
    base = fold(lemma(word, lang))
    if lexicon and lang == "en":
        base = translations().get(base, base)  # "meeting" and "vergadering" meet
    found: list[tuple[str, float]] = [(f"w:{base}", weights.word * rarity)]
    if lang == "nl" or language.zipf(word, "en") == 0.0:
        parts = compound_parts(base)
        if len(parts) > 1:
            found += [(f"w:{fold(lemma(p, 'nl'))}", weights.part * rarity) for p in parts]
    found += [(f"g:{gram}", weights.gram * rarity) for gram in char_grams(base)]
    return tuple(found)


def note_lemmas(text: str, lang: str) -> list[str]:
    """A note's content lemmas in order, compound parts after their compound."""
    out: list[str] = []
    for word in words(text):
        base = fold(lemma(word, lang))
        out.append(base)
        parts = compound_parts(base)
        if len(parts) > 1:
            out += [fold(lemma(p, "nl")) for p in parts]
    return out


def featurise(
    texts: list[str],
    default_language: str = "nl",
    *,
    lexicon: bool = True,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[NoteFeatures]:
    """TF-IDF vectors of notes, in the workshop's language where a note does not tell."""
    raw: list[tuple[str, list[str], dict[str, float]]] = []
    index = concept_index() if lexicon else None
    for text in texts:
        tokens = words(text)
        lang = language_of(tokens, default_language)
        counts: dict[str, float] = {}
        for token in tokens:
            for feature, weight in _word_features(token, lang, weights, lexicon):
                counts[feature] = counts.get(feature, 0.0) + weight
        lemmas = note_lemmas(text, lang)
        if index is not None:
            for concept in index.concepts_of(lemmas):
                counts[f"c:{concept}"] = weights.concept
        raw.append((lang, lemmas, counts))
    df: Counter[str] = Counter()
    for _, _, counts in raw:
        df.update(counts.keys())
    total = max(1, len(texts))
    out = []
    for lang, lemmas, counts in raw:
        vector = {
            key: value * (math.log((1 + total) / (1 + df[key])) + 1)
            for key, value in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        out.append(NoteFeatures(lang, lemmas, {k: v / norm for k, v in vector.items()}))
    return out
