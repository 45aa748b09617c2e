"""One search interface, two engines: SQLite FTS5 (the embedded default) and PostgreSQL full text.

Text is segmented with rjieba in search mode (退役军人 → 退役 / 军人 / 退役军人), so
two-character words are found inside longer ones; the segmented text is stored
space-separated, which both FTS5's unicode61 tokenizer and PostgreSQL's 'simple'
configuration split into exactly those words. Queries are segmented in precise mode
and every word must occur (AND).
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field

import rjieba
from django.db import connection

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
    column_path: str | None = None
    category: str | None = None
    year: int | None = None
    order: str = "relevance"  # or "date"
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


@dataclass
class SearchResults:
    query: SearchQuery
    tokens: list[str]
    total: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    elapsed_ms: float = 0.0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.size))


def highlight(text: str, tokens: list[str], whole: bool = False) -> str:
    """Escaped text around the first match, every token wrapped in <mark>."""
    if not tokens:
        return html.escape(text[:SNIPPET_AFTER])
    pattern = re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)), re.IGNORECASE)
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
        out.append(html.escape(window[last:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        last = m.end()
    out.append(html.escape(window[last:]))
    return prefix + "".join(out) + suffix


class Backend:
    vendor = ""

    def upsert(self, doc) -> None:  # doc: SearchDocument (already saved)
        raise NotImplementedError

    def delete(self, doc_ids: list[int]) -> None:
        raise NotImplementedError

    def _match(self, tokens: list[str]) -> str:
        raise NotImplementedError

    def _sql(self, q: SearchQuery, tokens: list[str], count: bool) -> tuple[str, list]:
        raise NotImplementedError

    def search(self, q: SearchQuery) -> SearchResults:
        from .models import SearchDocument

        started = time.perf_counter()
        tokens = query_tokens(q.q)
        results = SearchResults(query=q, tokens=tokens)
        if not tokens:
            return results
        with connection.cursor() as cursor:
            sql, params = self._sql(q, tokens, count=True)
            cursor.execute(sql, params)
            results.total = cursor.fetchone()[0]
            if results.total:
                sql, params = self._sql(q, tokens, count=False)
                cursor.execute(sql, params)
                ids = [row[0] for row in cursor.fetchall()]
            else:
                ids = []
        docs = {d.pk: d for d in SearchDocument.objects.filter(pk__in=ids)}
        for pk in ids:
            d = docs.get(pk)
            if d is None:
                continue
            results.hits.append(SearchHit(
                page_id=d.page_id, title=d.title, url=d.url, snippet=highlight(d.text, tokens),
                title_html=highlight(d.title, tokens, whole=True), published_at=d.published_at,
                index_number=d.index_number, category=d.category,
            ))
        results.elapsed_ms = (time.perf_counter() - started) * 1000
        return results

    def _filters(self, q: SearchQuery) -> tuple[str, list]:
        where, params = ["d.agency_id = %s"], [q.agency_id]
        if q.column_path:
            where.append("d.path LIKE %s")
            params.append(q.column_path + "%")
        if q.category:
            where.append("d.category = %s")
            params.append(q.category)
        if q.year:
            where.append("d.year = %s")
            params.append(q.year)
        return " AND ".join(where), params


class SQLiteBackend(Backend):
    vendor = "sqlite"

    def upsert(self, doc) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [doc.pk])
            cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (%s, %s)", [doc.pk, doc.tokens])

    def delete(self, doc_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for pk in doc_ids:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [pk])

    def _sql(self, q, tokens, count):
        match = " AND ".join(f'"{t}"' for t in tokens)
        where, params = self._filters(q)
        base = (f"FROM {FTS_TABLE} f JOIN portal_searchdocument d ON d.id = f.rowid "
                f"WHERE {FTS_TABLE} MATCH %s AND {where}")
        if count:
            return f"SELECT count(*) {base}", [match] + params
        order = "f.rank" if q.order != "date" else "d.published_at DESC"
        return (f"SELECT d.id {base} ORDER BY {order}, d.id DESC LIMIT %s OFFSET %s",
                [match] + params + [q.size, (q.page - 1) * q.size])


class PostgresBackend(Backend):
    vendor = "postgresql"

    def upsert(self, doc) -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE portal_searchdocument SET search_vector = "
                           "setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s) WHERE id = %s",
                           [index_tokens(doc.title), doc.tokens, doc.pk])

    def delete(self, doc_ids: list[int]) -> None:
        return  # the row itself carries the vector

    def _sql(self, q, tokens, count):
        tsquery = " & ".join(tokens)
        where, params = self._filters(q)
        base = f"FROM portal_searchdocument d WHERE d.search_vector @@ to_tsquery('simple', %s) AND {where}"
        if count:
            return f"SELECT count(*) {base}", [tsquery] + params
        if q.order == "date":
            return (f"SELECT d.id {base} ORDER BY d.published_at DESC, d.id DESC LIMIT %s OFFSET %s",
                    [tsquery] + params + [q.size, (q.page - 1) * q.size])
        return (f"SELECT d.id {base} ORDER BY ts_rank(d.search_vector, to_tsquery('simple', %s)) DESC, "
                f"d.published_at DESC LIMIT %s OFFSET %s",
                [tsquery] + params + [tsquery, q.size, (q.page - 1) * q.size])


def get_backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
