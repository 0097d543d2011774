"""Do two names belong to the same person? The rule behind the near-duplicate check.

A person is registered twice when the second registration spells the name differently: a
Dutch name with or without its prefix glued on (`van den Berg`, `Vandenberg`), with or without
diacritics (`Çelik`, `Celik`), or an Arabic or Tigrinya name transliterated another way
(`Mohammed`, `Muhammad`; `Tesfay`, `Tesfaye`; `Gebremedhin`, `Ghebremedhin`). Two checks, each
catching what the other misses:

- a **phonetic key** (`phonetic_key`): the name as it sounds, with the letters that Dutch and
  the usual transliterations spell differently made the same; there is no maintained Dutch
  phonetic library on PyPI (Soundex and Metaphone are English, Cologne phonetics German), so it
  is written here;
- an **edit-distance similarity** (rapidfuzz's Jaro-Winkler) over the normalised name, for
  typing errors the key does not cover (`Jansen`, `Janssens`).

Everything here is a pure function of strings: no database, no Django.
"""

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

# Jaro-Winkler similarity (0..1) from which two last names count as the same: one letter
# typed wrong, doubled or left out in a name of six letters scores 0.92-0.97 (Jansen/Janssen
# 0.97, Jansen/Janssens 0.95, Haile/Hailu 0.92), while different common names stay below it
# (Jansen/Jansma 0.87, Visser/Fisser 0.89 (caught by the key instead), Yilmaz/Yildiz 0.84).
LAST_NAME_SIMILARITY = 0.92

# First names vary more between registrations (a name in full or a nickname, a second name
# left out) and are only compared once the birth date and the last name agree, so the bar is
# lower; Mohammed/Mahmoud (0.83), two different names, stay below it.
FIRST_NAME_SIMILARITY = 0.87

# Name prefixes (Dutch tussenvoegsels, the Arabic article, a few other languages' particles):
# dropped from a last name as words of their own, whether typed in the prefix field or not.
PREFIXES = frozenset(
    {
        "van", "der", "den", "de", "het", "t", "ter", "ten", "te", "op", "in", "aan", "uit",
        "onder", "bij", "over", "voor", "von", "vom", "zu", "zur", "le", "la", "les", "du",
        "des", "di", "da", "do", "dos", "das", "del", "della", "el", "al", "ul", "ben", "bin",
        "ibn", "abu", "mac", "mc",
    }
)  # fmt: skip

# The same prefixes glued to the name (`Vandenberg`, `Devries`, `Elamrani`), longest first so
# `vanden` wins over `van`. Only tried as an alternative spelling (see `last_name_variants`),
# so `Dekker` is still compared as `dekker` too.
GLUED_PREFIXES = (
    "vanderde", "vanden", "vander", "vande", "van", "ten", "ter", "den", "der", "de",
    "el", "al", "ul",
)  # fmt: skip

# Letters a plain NFKD decomposition leaves alone.
_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ı": "i", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
)
_VOWELS = frozenset("aeiouy")
# Spellings that sound alike, applied in this order (after ij -> y and German umlaut-e).
_SOUNDS = (
    ("sch", "sg"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ch", "g"),
    ("kh", "g"),
    ("gh", "g"),
    ("ck", "k"),
    ("dt", "t"),
    ("q", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("v", "f"),
    ("w", "f"),
)


def normalise(text: str) -> str:
    """Lower case, without diacritics, apostrophes or hyphens: `Nguyễn` -> `nguyen`,
    `Al-Amrani` -> `al amrani`, `'t Hart` -> `t hart`; words separated by one space."""
    text = text.lower().translate(_SPECIAL)
    text = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    text = re.sub(r"[^a-z]+", " ", text)
    return " ".join(text.split())


def _strip_umlaut_e(word: str) -> str:
    # `Mueller`, `Schroeder`: a German umlaut written as vowel + e. Dutch `oe` and `ie` are
    # vowels of their own, but vowels after the first letter are dropped by the key anyway.
    return re.sub(r"(?<=[aou])e", "", word)


def phonetic_key(word: str) -> str:
    """The sound of one name, Dutch-aware: equal keys mean the names sound alike.

    Steps: normalise; `ij` -> `y` (IJsselmeer, Ysselmeer); a `j` at the start -> `y` (Dutch
    pronounces Johannes as Yohannes); the spellings in `_SOUNDS` (ph/f, th/t, ch/gh/kh/g,
    ck/k, c before e/i/y -> s and otherwise k, v/f, w/f, z/s); `d` at the end -> `t`; `h`
    kept only at the start or between vowels (Muhammad keeps it, Abdelrahman's r-h does not);
    the first letter kept (any vowel at the start counts as `a`: Omar/Umar, Ibrahim/Ebrahim),
    vowels after it dropped (the Arabic and Tigrinya transliterations differ mostly in vowels:
    Mohamed/Muhammad, Tesfay/Tesfaye/Tesfai, Haile/Hayle) except that a final vowel is kept
    as `e` (a, e, i, y) or `u` (o, u); double letters collapsed.
    """
    word = normalise(word).replace(" ", "")
    if not word:
        return ""
    word = word.replace("ij", "y")
    if word.startswith("j"):
        word = "y" + word[1:]
    word = _strip_umlaut_e(word)
    for spelling, sound in _SOUNDS:
        word = word.replace(spelling, sound)
    word = re.sub(r"c(?=[eiy])", "s", word).replace("c", "k")
    word = re.sub(r"d$", "t", word)
    kept = []
    for index, char in enumerate(word):
        if char == "h" and index > 0:
            before, after = word[index - 1], word[index + 1 : index + 2]
            if not (before in _VOWELS and after and after in _VOWELS):
                continue
        kept.append(char)
    word = "".join(kept)
    head = "a" if word[0] in _VOWELS and word[0] != "y" else word[0]
    tail = "".join(char for char in word[1:] if char not in _VOWELS)
    # A final vowel stays as one of two sounds: Tesfay, Tesfaye and Tesfai end alike, Tesfu
    # (another name) does not; Haile and Hailu neither.
    ending = re.search(r"[aeiouy]+$", word[1:])
    if ending:
        tail += "u" if ending.group()[-1] in "ou" else "e"
    return re.sub(r"(.)\1+", r"\1", head + tail)


def last_name_variants(name_prefix: str, last_name: str) -> set[str]:
    """The normalised spellings a last name may stand for, each without spaces: without the
    prefixes written as words (`van der Berg` -> `berg`), with them (`vanderberg`), and
    without a prefix glued to the front (`Vandenberg` -> `berg`, `Elamrani` -> `amrani`)."""
    words = normalise(f"{name_prefix} {last_name}").split()
    if not words:
        return set()
    core = [word for word in words if word not in PREFIXES] or words[-1:]
    variants = {"".join(core), "".join(words)}
    for variant in list(variants):
        for glued in GLUED_PREFIXES:
            rest = variant[len(glued) :]
            # At least three letters left: `Devries` -> `vries`, but `Dean` stays `dean`.
            if variant.startswith(glued) and len(rest) >= 3:
                variants.add(rest)
                break
    return variants


def _similarity(a: str, b: str) -> float:
    return JaroWinkler.normalized_similarity(a, b)


def last_names_match(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Two last names, each `(prefix, last name)`, are the same name: a spelling of one has
    the phonetic key of a spelling of the other, or two spellings are similar enough
    (`LAST_NAME_SIMILARITY`)."""
    spellings_a, spellings_b = last_name_variants(*a), last_name_variants(*b)
    if not spellings_a or not spellings_b:
        return False
    keys_a = {phonetic_key(spelling) for spelling in spellings_a}
    if keys_a & {phonetic_key(spelling) for spelling in spellings_b}:
        return True
    return any(_similarity(x, y) >= LAST_NAME_SIMILARITY for x in spellings_a for y in spellings_b)


def _is_initial(word: str, other: str) -> bool:
    return len(word) == 1 and other.startswith(word)


def first_names_match(a: str, b: str) -> bool:
    """Two first names are the same person's: as a whole or one given name of each alike
    (by key or `FIRST_NAME_SIMILARITY`), or one is the initial of the other (`M.`)."""
    words_a, words_b = normalise(a).split(), normalise(b).split()
    if not words_a or not words_b:
        return False
    # `Abd al-Rahman` and `Abdelrahman`: the whole name too, joined, not only its words.
    candidates_a = {"".join(words_a), *words_a}
    candidates_b = {"".join(words_b), *words_b}
    for x in candidates_a:
        for y in candidates_b:
            if _is_initial(x, y) or _is_initial(y, x):
                return True
            if len(x) > 1 and len(y) > 1:
                if phonetic_key(x) == phonetic_key(y):
                    return True
                if _similarity(x, y) >= FIRST_NAME_SIMILARITY:
                    return True
    return False


@dataclass(frozen=True)
class PersonName:
    first_name: str
    name_prefix: str
    last_name: str


def same_person(a: PersonName, b: PersonName) -> bool:
    """The names could be one person's (the caller compares birth dates): the last names
    match and so do the first names."""
    return last_names_match((a.name_prefix, a.last_name), (b.name_prefix, b.last_name)) and (
        first_names_match(a.first_name, b.first_name)
    )
