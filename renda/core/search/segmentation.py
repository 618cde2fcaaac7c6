"""Turn Chinese text into index tokens and a search query into terms.

Both sides go through the same `normalize` (NFKC folds full-width letters and digits to
half-width, then casefold), so "ＡＢＣ１２３" finds "abc123" and the other way round.

Index tokens are two streams, space-joined into `SearchDocument.tokens`:

1. Character grams of every run of Han characters: each overlapping bigram, then the run's
   last character alone. Any Chinese substring of two or more characters is then a phrase
   of consecutive grams, whatever the segmenter made of the text around it ("区电" in
   "小区电梯" is found, so is "服务" in "提高和服务质量" where jieba cuts "和服").
   The grams come first so that, on PostgreSQL, where a tsvector position stops counting
   at 16383, phrases stay exact for the first ~16,000 Han characters.
2. The words of rjieba's search-mode segmentation (`cut_for_search`, with the congress user
   dictionary in userdict.txt), which also emits the shorter words inside longer ones.
   These make whole-word matches rank above accidental substrings and carry the non-Han
   tokens (latin words, numbers).

Only letters and digits make tokens: punctuation, emoji, control characters and the like
never reach the index or a query, which is why no user input can break the FTS syntax.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import rjieba

USER_DICTIONARY = Path(__file__).with_name("userdict.txt")

# Longer source texts are cut: a tsvector may not exceed 1 MB, and its positions stop at
# 16383 (see the module docstring). 20,000 characters is far beyond a suggestion's text.
MAX_INDEXED_CHARS = 20_000
# A token longer than this is cut on both sides (PostgreSQL refuses lexemes over 2 KB).
MAX_TOKEN_CHARS = 64
# A query longer than this is cut, and at most MAX_QUERY_TERMS terms are ANDed: that bounds
# the work one request can ask of the database.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12

_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A Han run, or a run of other letters/digits ("[^\W_]" is \w without the underscore).
_TOKEN_RE = re.compile(f"[{_HAN}]+|[^\\W_{_HAN}]+")
_HAN_RUN_RE = re.compile(f"[{_HAN}]+")
_HAN_CHAR_RE = re.compile(f"[{_HAN}]")
# Control characters become spaces; format characters (zero-width space, BOM, direction
# marks) and lone surrogates vanish: a surrogate cannot even be encoded for the database.
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")
_SPACES_RE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"'})


class _Segmenter:
    """One rjieba instance with the user dictionary, built on first use (it takes ~0.4 s).

    Only `add_word` mutates the instance, and that happens once under the lock before the
    instance is published, so concurrent `cut` calls from several threads are safe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jieba: rjieba.Jieba | None = None

    def get(self) -> rjieba.Jieba:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    jieba = rjieba.Jieba()
                    for word, freq, tag in read_user_dictionary():
                        jieba.add_word(word, freq, tag)
                    self._jieba = jieba
        return self._jieba


_segmenter = _Segmenter()


def read_user_dictionary(path: Path = USER_DICTIONARY) -> list[tuple[str, int | None, str | None]]:
    """Parse a jieba user dictionary: `word [frequency] [tag]` per line, `#` comments."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        entries.append((parts[0], freq, tag))
    return entries


def clean(text: str) -> str:
    """Drop what no database or tokenizer should see; keep case and width (for titles)."""
    text = _INVISIBLE_RE.sub("", text)
    return _SPACES_RE.sub(" ", _CONTROL_RE.sub(" ", text)).strip()


def normalize(text: str) -> str:
    """Full-width → half-width, case folded, control and invisible characters removed."""
    return unicodedata.normalize("NFKC", clean(text)).casefold()


def cut(text: str) -> list[str]:
    """Precise-mode words of already normalized text, the user dictionary applied."""
    return _segmenter.get().cut(text)


def cut_for_search(text: str) -> list[str]:
    """Search-mode words (long words plus the words inside them) of normalized text."""
    return _segmenter.get().cut_for_search(text)


def _grams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def is_han(token: str) -> bool:
    return bool(_HAN_CHAR_RE.match(token))


def scope_token(content_type_id: int, congress_id: int) -> str:
    """A token every document of that model and congress carries, so a search narrowed to one
    congress is narrowed inside the full-text index (FTS5 / GIN), before any row is read.

    Letters and digits only (one token for unicode61 and PostgreSQL's parser); a user who types
    it finds nothing they could not see anyway, since search only narrows a scoped queryset.
    """
    return f"zs{int(content_type_id)}x{int(congress_id)}"


def index_tokens(text: str) -> list[str]:
    """The tokens stored for a document: Han grams first, then segmented words."""
    norm = normalize(text[:MAX_INDEXED_CHARS])
    tokens: list[str] = []
    for run in _HAN_RUN_RE.findall(norm):
        tokens.extend(_grams(run))
        tokens.append(run[-1])
    for word in cut_for_search(norm):
        tokens.extend(token[:MAX_TOKEN_CHARS] for token in _TOKEN_RE.findall(word))
    return tokens


@dataclass(frozen=True)
class Term:
    """One ANDed query term: a Han string (matched as a substring) or a latin/number token."""

    text: str

    @property
    def han(self) -> bool:
        return is_han(self.text)

    def fts5(self) -> str:
        """FTS5 syntax. Tokens hold only letters and digits, so double quotes need no escaping."""
        if not self.han:
            return f'"{self.text}"'
        if len(self.text) == 1:
            # A single character is the first character of some gram, or a run's last one.
            return f'"{self.text}"*'
        if len(self.text) == 2:
            return f'"{self.text}"'
        return f'("{self.text}" OR "{" ".join(_grams(self.text))}")'

    def tsquery(self) -> str:
        """PostgreSQL to_tsquery syntax, same meaning as `fts5`."""
        if not self.han:
            return f"'{self.text}'"
        if len(self.text) == 1:
            return f"'{self.text}':*"
        if len(self.text) == 2:
            return f"'{self.text}'"
        phrase = " <-> ".join(f"'{gram}'" for gram in _grams(self.text))
        return f"('{self.text}' | {phrase})"


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]
    # The query as typed (cleaned, whitespace collapsed) for title substring matching.
    phrase: str

    # Scope tokens (see scope_token), ORed and ANDed with the terms; empty: no narrowing.
    scopes: tuple[str, ...] = ()

    def fts5(self) -> str:
        text = " AND ".join(term.fts5() for term in self.terms)
        if self.scopes:
            scopes = " OR ".join(f'"{scope}"' for scope in self.scopes)
            text = f"({text}) AND ({scopes})"
        return text

    def tsquery(self) -> str:
        text = " & ".join(term.tsquery() for term in self.terms)
        if self.scopes:
            scopes = " | ".join(f"'{scope}'" for scope in self.scopes)
            text = f"({text}) & ({scopes})"
        return text


def parse_query(query: str) -> ParsedQuery | None:
    """Split a user's query into ANDed terms; None when nothing searchable is left.

    Outside double quotes (ASCII or “ ”) the query is segmented like the documents, so
    "小区电梯" finds texts with 小区 and 电梯 anywhere; inside quotes each Han run must occur
    as written. Single Han characters are dropped when longer terms exist (they are mostly
    particles like 的 and would match nearly everything).
    """
    if not isinstance(query, str):
        return None
    query = query[:MAX_QUERY_CHARS]
    norm = normalize(query).translate(_QUOTES)
    found: list[str] = []
    for position, part in enumerate(norm.split('"')):
        words = cut(part) if position % 2 == 0 else [part]
        for word in words:
            found.extend(token[:MAX_TOKEN_CHARS] for token in _TOKEN_RE.findall(word))
    terms = list(dict.fromkeys(found))
    if any(len(term) > 1 or not is_han(term) for term in terms):
        terms = [term for term in terms if len(term) > 1 or not is_han(term)]
    if not terms:
        return None
    return ParsedQuery(
        terms=tuple(Term(term) for term in terms[:MAX_QUERY_TERMS]),
        phrase=clean(query.translate(_QUOTES).replace('"', "")),
    )


# Words that occur in nearly every suggestion or opinion: they say nothing about what it is about.
GENERIC_WORDS = frozenset(
    "建议 问题 意见 进一步 加强 加大 推进 提高 完善 工作 相关 有关 部门 我市 我镇 目前 存在 情况 "
    "现状 一些 部分 能够 希望 需要 进行 没有 可以 由于 以及 通过 导致 如何 关于 方面 群众 居民".split()
)


def keywords(text: str, *, limit: int = 8) -> list[str]:
    """The words that best say what a text is about: repeated and longer words first, generic
    words, single characters and numbers left out (the terms of a "similar texts" query)."""
    if not isinstance(text, str):
        return []
    counts: dict[str, int] = {}
    for word in cut(normalize(text[:MAX_INDEXED_CHARS])):
        for token in _TOKEN_RE.findall(word):
            if len(token) < 2 or token.isdigit() or token in GENERIC_WORDS:
                continue
            counts[token[:MAX_TOKEN_CHARS]] = counts.get(token[:MAX_TOKEN_CHARS], 0) + 1
    ranked = sorted(counts, key=lambda t: (-counts[t], -len(t)))
    return ranked[:limit]
