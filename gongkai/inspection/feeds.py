"""Read the newest entry date of an RSS 2.0 / RSS 1.0 / Atom feed (for the 政务新媒体 2-week rule).

`feedparser` is used when installed; otherwise the feed is parsed with the standard
library's XML parser behind defusedxml (no entity expansion, no external entities).
The request times out after 10 seconds and reads at most 5 MB.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import date, datetime, timezone as dt_timezone
from email.utils import parsedate_to_datetime

from django.utils import timezone

TIMEOUT = 10  # seconds
MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = "Gongkai-inspection/1.0 (new media update check)"  # headers are Latin-1: no Chinese here

# Elements that date an entry: RSS 2.0 pubDate, Dublin Core date (RSS 1.0), Atom updated/published.
_DATE_TAGS = {"pubDate", "date", "updated", "published", "modified", "issued"}
_ENTRY_TAGS = {"item", "entry"}


class FeedError(Exception):
    """The feed could not be read; the message (Chinese) says why."""


def fetch(url: str) -> bytes:
    if not url.lower().startswith(("http://", "https://")):
        raise FeedError("只支持 http:// 或 https:// 开头的地址")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "application/rss+xml, application/atom+xml, "
                                                             "application/xml, text/xml;q=0.9, */*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 — scheme checked above
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise FeedError(f"服务器返回 HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise FeedError(f"{TIMEOUT} 秒内没有响应") from None
        raise FeedError(f"连接失败（{reason}）") from None
    if len(body) > MAX_BYTES:
        raise FeedError("内容超过 5 MB，不像是订阅地址")
    return body


def _parse_date(text: str) -> datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = parsedate_to_datetime(text)  # RFC 822 (RSS 2.0)
    except (TypeError, ValueError, IndexError):
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))  # RFC 3339 (Atom, Dublin Core)
        except ValueError:
            try:
                value = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
            except ValueError:
                return None
    if value.tzinfo is None:
        value = timezone.make_aware(value)  # no zone given: China time
    return value


def _local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _dates_stdlib(body: bytes) -> list[datetime]:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(body)
    except (ParseError, DefusedXmlException):
        raise FeedError("内容不是有效的 RSS 或 Atom 订阅") from None
    if _local_name(root.tag) not in ("rss", "feed", "RDF"):
        raise FeedError("内容不是 RSS 或 Atom 订阅")
    found = []
    for element in root.iter():
        if _local_name(element.tag) not in _ENTRY_TAGS:
            continue
        for child in element:
            if _local_name(child.tag) in _DATE_TAGS:
                value = _parse_date(child.text)
                if value is not None:
                    found.append(value)
    return found


def _dates_feedparser(body: bytes) -> list[datetime]:
    import feedparser

    parsed = feedparser.parse(body)
    if parsed.get("bozo") and not parsed.entries:
        raise FeedError("内容不是有效的 RSS 或 Atom 订阅")
    found = []
    for entry in parsed.entries:
        for key in ("updated_parsed", "published_parsed", "created_parsed"):
            value = entry.get(key)
            if value:
                found.append(datetime(*value[:6], tzinfo=dt_timezone.utc))
    return found


def newest_entry_date(url: str) -> date:
    """The date (China time) of the feed's newest dated entry; FeedError when there is none."""
    body = fetch(url)
    try:
        import feedparser  # noqa: F401
    except ImportError:
        dates = _dates_stdlib(body)
    else:
        dates = _dates_feedparser(body)
    if not dates:
        raise FeedError("订阅中没有带日期的条目")
    return timezone.localtime(max(dates)).date()
