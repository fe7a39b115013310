"""Search text for addresses: normalisation, tokens and pinyin initials, shared by indexing and querying.

An address is indexed as space-separated tokens: CJK bigrams of every name (a single character stays a
unigram), whole numbers, and the pinyin initials of road, place and region names ("夷山大街" → "ysdj").
A query is cut into runs of CJK, digits and Latin letters ("夷山201" → 夷山 / 201, "ysdj201" → ysdj / 201);
every run must match (AND), so partial strings in any order work on both engines with their own indexes
(SQLite FTS5, PostgreSQL GIN over a tsvector) and never need a table scan.
"""

import re
import unicodedata
from functools import lru_cache

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9]+|[a-z]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Words that only mark a house number, building or room: 201号 and 201 mean the same to a caller.
STOP_RUNS = frozenset({"号", "栋", "幢", "楼", "号楼", "单元", "室", "号院", "座"})


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[str]:
    return [r for r in _RUN.findall(normalize(text)) if r not in STOP_RUNS]


def strip_city(text: str, prefixes) -> str:
    """Drop a leading province/city name the caller added ("河南省开封市鼓楼区…"): only names in `prefixes`."""
    value = normalize(text).lstrip()
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            if prefix and value.startswith(prefix) and len(value) > len(prefix) + 1:
                value = value[len(prefix) :].lstrip()
                changed = True
    return value


def is_cjk(run: str) -> bool:
    return bool(_CJK.match(run))


def bigrams(run: str) -> list[str]:
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    """Pinyin initials of the CJK characters in `text` ("夷山大街" → "ysdj"); other characters are dropped."""
    cjk = "".join(_CJK.findall(normalize(text)))
    if not cjk:
        return ""
    from pypinyin import Style, lazy_pinyin  # here, not at import: its dictionaries take ~55 MB per process

    return "".join(p[:1] for p in lazy_pinyin(cjk, style=Style.FIRST_LETTER, errors="ignore")).lower()


def index_tokens(names: list[str], initial_names: list[str], chain: tuple = ()) -> str:
    """The search text stored with an address: tokens of every name, initials of the named places, and the
    bigram across each boundary of `chain` (pairs of names a caller says in one breath: 鼓楼区|夷山大街 gives
    区夷), so "鼓楼区夷山大街" matches although no single name holds 区夷."""
    tokens: list[str] = []
    seen: set[str] = set()

    def add(token):
        if token and token not in seen:
            seen.add(token)
            tokens.append(token)

    for name in names:
        for run in runs(name):
            if is_cjk(run):
                for gram in bigrams(run):
                    add(gram)
            else:
                add(run)
    for name in initial_names:
        add(initials(name))
    for left, right in chain:
        a, b = normalize(left), normalize(right)
        if a and b and is_cjk(a[-1]) and is_cjk(b[0]):
            add(a[-1] + b[0])
    return " ".join(tokens)


def query_terms(text: str) -> list[tuple[str, bool]]:
    """(token, is_prefix) terms that must all match. A CJK run gives its bigrams; numbers match whole (a prefix
    of a number would expand to thousands of tokens); Latin letters (initials typed so far) match as a prefix.
    A lone CJK character (路, 街 after a number) says little and is dropped when anything else is asked."""
    found = runs(text)
    terms: list[tuple[str, bool]] = []
    singles = []
    for run in found:
        if is_cjk(run):
            if len(run) == 1:
                singles.append((run, True))
            else:
                terms.extend((g, False) for g in bigrams(run))
        else:
            terms.append((run, not run.isdigit()))
    if not terms:
        terms = singles
    unique = []
    for term in terms:
        if term not in unique:
            unique.append(term)
    return unique


def homophone_terms(text: str) -> list[tuple[str, bool]]:
    """The commonest input-method typo is a homophone (姨山 for 夷山): search CJK runs by their initials —
    a whole name's initials as a token, a two-character fragment's as a prefix."""
    terms = []
    for run in runs(text):
        if is_cjk(run) and len(run) >= 2:
            terms.append((initials(run), len(run) == 2))
        elif not is_cjk(run):
            terms.append((run, not run.isdigit()))
    return terms
