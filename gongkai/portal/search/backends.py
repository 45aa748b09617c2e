"""One search interface, two engines: SQLite FTS5 (the embedded default) and PostgreSQL full text.

Text is segmented with rjieba in search mode (退役军人 → 退役 / 军人 / 退役军人), so
two-character words are found inside longer ones; the segmented text is stored
space-separated, which both FTS5's unicode61 tokenizer and PostgreSQL's 'simple'
configuration split into exactly those words. Queries are segmented in precise mode
and every word must occur (AND). Filters (agency, category, year, column) are indexed as
extra words, so every query is a single index lookup. Counts stop at 1,000 ("1000+"), and
relevance is ranked among the 1,000 newest matches — the cost of a query stays bounded
however common its word is.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

import rjieba
from django.db import connection

from .models import SearchDocument

FTS_TABLE = "portal_search_fts"
WORD_RE = re.compile(r"\w", re.UNICODE)
MAX_TOKENS_TEXT = 400_000
SNIPPET_BEFORE, SNIPPET_AFTER = 40, 110


def index_tokens(text: str) -> str:
    words = (w.lower() for w in rjieba.cut_for_search(text[:MAX_TOKENS_TEXT]))
    return " ".join(w for w in words if WORD_RE.search(w) and " " not in w)


def query_tokens(q: str) -> list[str]:
    words = []
    for w in rjieba.cut((q or "")[:100]):
        w = re.sub(r"[^\w]", "", w.lower())
        if w and w not in words:
            words.append(w)
    return words[:12]


@dataclass
class SearchQuery:
    q: str
    agency_id: int
    # More agencies searched with it (a supervising office's search across its agencies' sites).
    also_agency_ids: tuple[int, ...] = ()
    column_path: str | None = None
    category: str | None = None
    year: int | None = None
    order: str = "relevance"  # or "date"
    # "all": every word must occur (the search page); "any": one is enough, ranked by relevance, and each hit
    # says how many of the words it has (the "already published" suggestions while someone types).
    match: str = "all"
    page: int = 1
    size: int = 20


@dataclass
class SearchHit:
    page_id: int
    title: str
    url: str
    snippet: str  # safe HTML with <mark>
    title_html: str
    published_at: object
    index_number: str
    category: str
    agency_id: int = 0
    agency_label: str = ""  # shown when the search spans several agencies' sites
    matched: int = 0  # how many of the query's words the page has (title or text)


@dataclass
class SearchResults:
    query: SearchQuery
    tokens: list[str]
    total: int = 0
    capped: bool = False  # more than COUNT_CAP matches: shown as "1000+"
    hits: list[SearchHit] = field(default_factory=list)
    elapsed_ms: float = 0.0

    @property
    def shown_total(self) -> str:
        return f"{COUNT_CAP}+" if self.capped else str(self.total)

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, COUNT_CAP) // self.query.size))


def highlight(text: str, tokens: list[str], whole: bool = False) -> str:
    """Escaped text around the first match, every token wrapped in <mark>."""
    return _marker(tuple(tokens))(text, whole)


@lru_cache(maxsize=256)
def _marker(tokens: tuple[str, ...]):
    """The highlighter of one query's words: its pattern is compiled once, not for every title and snippet."""
    if not tokens:
        return lambda text, whole=False: html.escape(text[:SNIPPET_AFTER])
    pattern = re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)), re.IGNORECASE)
    escape = html.escape

    def mark(text: str, whole: bool = False) -> str:
        if whole:
            window, prefix, suffix = text, "", ""
        else:
            m = pattern.search(text)
            start = max(0, (m.start() if m else 0) - SNIPPET_BEFORE)
            window = text[start:start + SNIPPET_BEFORE + SNIPPET_AFTER]
            prefix = "…" if start > 0 else ""
            suffix = "…" if start + len(window) < len(text) else ""
        out, last = [], 0
        for m in pattern.finditer(window):
            out.append(escape(window[last:m.start()]))
            out.append(f"<mark>{escape(m.group(0))}</mark>")
            last = m.end()
        out.append(escape(window[last:]))
        return prefix + "".join(out) + suffix

    return mark


COUNT_CAP = 1000  # "1000+" beyond this: counting every match of a common word costs more than it tells
CANDIDATES = 1000  # relevance is ranked among the newest matches


def filter_tags(*, agency_id, category="", year=None, path="") -> str:
    """Filter values as index words, so a filter is one more word to match (fast in both engines)."""
    tags = [f"ag{agency_id}"]
    if category:
        tags.append(f"ca{category}")
    if year:
        tags.append(f"yr{year}")
    tags += [f"px{path[:i]}" for i in range(8, len(path) + 1, 4)]  # every ancestor (and the page) by tree path
    return " ".join(tags)


class Backend:
    vendor = ""

    def upsert(self, doc) -> None:  # doc: SearchDocument (already saved)
        raise NotImplementedError

    def upsert_many(self, docs) -> None:
        for doc in docs:
            self.upsert(doc)

    def delete(self, docs) -> None:
        raise NotImplementedError

    # The columns a hit shows: not the segmented words (`tokens`), as long again as the text.
    HIT_FIELDS = ("agency_id", "page_id", "title", "url", "text", "published_at", "index_number", "category")
    KEY = "pk"  # what _ids gives: the documents' primary keys

    def _ids(self, q: SearchQuery, tokens: list[str]) -> tuple[int, list[int]]:
        """The number of matches (up to COUNT_CAP + 1) and the page's documents, in order, by KEY.

        One index query gives both: the newest matches, as many as the count needs (and the page, in
        date order), each with its relevance when ranked — relevance orders the CANDIDATES newest,
        newest first among equals (a stable sort of rows that come newest first)."""
        offset = (q.page - 1) * q.size
        if q.order == "date":
            rows = self._newest(q, tokens, limit=max(COUNT_CAP + 1, offset + q.size), ranked=False)
        else:
            rows = self._newest(q, tokens, limit=COUNT_CAP + 1, ranked=True)
        total = min(len(rows), COUNT_CAP + 1)
        if q.order != "date":
            rows = sorted(rows[:CANDIDATES], key=lambda row: row[1])
        return total, [row[0] for row in rows[offset:offset + q.size]]

    def _newest(self, q: SearchQuery, tokens: list[str], *, limit: int, ranked: bool) -> list[tuple]:
        """Up to `limit` matches, newest first, as (KEY, rank: lower is more relevant, or None)."""
        raise NotImplementedError

    def search(self, q: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        tokens = query_tokens(q.q)
        results = SearchResults(query=q, tokens=tokens)
        if not tokens:
            return results
        results.total, ids = self._ids(q, tokens)
        results.capped = results.total > COUNT_CAP
        docs = {getattr(d, self.KEY): d for d in SearchDocument.objects.filter(**{f"{self.KEY}__in": ids})
                .only(*self.HIT_FIELDS)} if ids else {}
        mark = _marker(tuple(tokens))
        for key in ids:
            d = docs.get(key)
            if d is None:
                continue
            seen = f"{d.title} {d.text}".lower() if q.match == "any" else ""
            results.hits.append(SearchHit(
                page_id=d.page_id, title=d.title, url=d.url, snippet=mark(d.text),
                title_html=mark(d.title, whole=True), published_at=d.published_at,
                index_number=d.index_number, category=d.category, agency_id=d.agency_id,
                matched=sum(1 for t in tokens if t in seen) if seen else len(tokens),
            ))
        results.elapsed_ms = (time.perf_counter() - started) * 1000
        return results

    @staticmethod
    def _agency_ids(q: SearchQuery) -> list[int]:
        return [int(q.agency_id)] + sorted({int(a) for a in q.also_agency_ids} - {int(q.agency_id)})

    @staticmethod
    def _filter_words(q: SearchQuery) -> list[str]:
        words = []
        if q.category:
            words.append(f"ca{q.category}")
        if q.year:
            words.append(f"yr{int(q.year)}")
        if q.column_path:
            words.append(f"px{q.column_path}")
        return [w for w in words if re.fullmatch(r"\w+", w)]


class SQLiteBackend(Backend):
    """FTS5 table (tokens, tags); rowid = publication time in microseconds, so newest-first is native."""

    vendor = "sqlite"
    KEY = "fts_rowid"  # the documents of the index's rows, found by row id
    HIT_FIELDS = Backend.HIT_FIELDS + (KEY,)

    def upsert(self, doc) -> None:
        with connection.cursor() as cursor:
            if doc.fts_rowid:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [doc.fts_rowid])
            stamp = doc.published_at or doc.updated_at
            rowid = int(stamp.timestamp() * 1_000_000) if stamp else doc.pk
            tags = filter_tags(agency_id=doc.agency_id, category=doc.category, year=doc.year, path=doc.path)
            while True:
                cursor.execute(f"SELECT 1 FROM {FTS_TABLE} WHERE rowid = %s", [rowid])
                if cursor.fetchone() is None:
                    break
                rowid += 1
            cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, tokens, tags) VALUES (%s, %s, %s)",
                           [rowid, doc.tokens, tags])
        SearchDocument.objects.filter(pk=doc.pk).update(fts_rowid=rowid)
        doc.fts_rowid = rowid

    def delete(self, docs) -> None:
        with connection.cursor() as cursor:
            for doc in docs:
                if doc.fts_rowid:
                    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [doc.fts_rowid])

    def _newest(self, q, tokens, *, limit, ranked):
        agencies = " OR ".join(f'"ag{a}"' for a in self._agency_ids(q))
        joiner = " OR " if q.match == "any" else " AND "
        match = ('tokens : (' + joiner.join(f'"{t}"' for t in tokens) + f') AND tags : (({agencies})'
                 + "".join(f' AND "{w}"' for w in self._filter_words(q)) + ')')
        rank = f"bm25({FTS_TABLE}, 1.0, 0.0)" if ranked else "NULL"  # bm25: lower is more relevant
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid, {rank} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
                           f"ORDER BY rowid DESC LIMIT %s", [match, limit])
            return cursor.fetchall()


class PostgresBackend(Backend):
    """tsvector (words + filter tags, 'simple' configuration) with a GIN index."""

    vendor = "postgresql"

    def upsert(self, doc) -> None:
        self.upsert_many([doc])

    def upsert_many(self, docs) -> None:
        """One statement for a batch (a bulk load indexes thousands of rows at a time)."""
        docs = list(docs)
        if not docs:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE portal_searchdocument d SET search_vector = setweight(to_tsvector('simple', v.title), 'A') "
                "|| to_tsvector('simple', d.tokens) || setweight(to_tsvector('simple', v.tags), 'D') "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, title, tags) WHERE d.id = v.id",
                [[doc.pk for doc in docs], [index_tokens(doc.title) for doc in docs],
                 [filter_tags(agency_id=doc.agency_id, category=doc.category, year=doc.year, path=doc.path)
                  for doc in docs]])

    def delete(self, docs) -> None:
        return  # the row itself carries the vector

    def _newest(self, q, tokens, *, limit, ranked):
        # The agency is a column condition here, so that the (agency, published_at) index can
        # drive the scan for common words; rare words go through the GIN index.
        words = "(" + (" | " if q.match == "any" else " & ").join(tokens) + ")"
        tsquery = " & ".join([words] + self._filter_words(q))
        agencies = self._agency_ids(q)
        if len(agencies) == 1:  # one site: equality lets the (agency, published_at) index give the order
            match, agencies = "d.agency_id = %s AND d.search_vector @@ to_tsquery('simple', %s)", agencies[0]
        else:  # many sites: "+ 0" keeps the planner off the agency index (a bitmap of every agency's rows);
            # the words (GIN) or the newest-first index (common words) drive the scan instead
            match = "d.agency_id + 0 = ANY(%s) AND d.search_vector @@ to_tsquery('simple', %s)"
        rank = "-ts_rank(d.search_vector, to_tsquery('simple', %s))" if ranked else "NULL"  # negated: lower first
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT d.id, {rank} FROM portal_searchdocument d WHERE {match} "
                           "ORDER BY d.published_at DESC, d.id DESC LIMIT %s",
                           ([words] if ranked else []) + [agencies, tsquery, limit])
            return cursor.fetchall()


def get_backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
