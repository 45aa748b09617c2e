"""Walk every staff URL pattern and request it with parameters filled from given records.

Used by the security tests: `staff_patterns()` lists every pattern under /admin/ and
/accounts/ straight from the URL resolver, `walk()` requests each (GET and POST, plus
search and export variants of lists) and hands every response to a check.
"""

from __future__ import annotations

import io
import itertools
import zipfile

from django.forms.models import model_to_dict
from django.urls import NoReverseMatch, URLResolver, get_resolver, resolve, reverse

from tests.helpers.foreign import MARKER, login

STAFF_PREFIXES = ("admin/", "accounts/")

# Patterns never requested, each with the reason. Keep this list short.
NOT_REQUESTED = {
    "wagtailadmin_logout": "ends the session; holds no object",
    "wagtailadmin_login": "log-in form; failed POSTs would lock the test client out (django-axes)",
    "accounts:otp": "two-factor form; wrong codes would lock the account (rate limit)",
    "admin/test404/": "unnamed; always answers 404",
    "admin/^.*/$": "unnamed catch-all; always answers 404",
}

# Values for string parameters that do not name an object.
STR_VALUES = {
    "verb": ["decide", "extend"],
    "fmt": ["pdf", "docx", "html", "csv", "xlsx"],
    "key": ["reply", "receipt"],
    "kind": ["reconsideration", "litigation"],
    "filter_spec": ["original"],
    "action_name": ["approve", "reject"],
    "action": ["delete", "publish", "unpublish", "move", "set_privacy"],
    "uidb64": ["MQ"],
    "token": ["set-password"],
    "revision_id_a": ["earliest"],
    "revision_id_b": ["latest"],
}
APP_PARAMS = ("app_label", "app_name", "content_type_app_name")
MODEL_PARAMS = ("model_name", "content_type_model_name")


def _params(pattern) -> list[str]:
    return list(pattern.regex.groupindex)  # named groups of route and regex patterns alike


def staff_patterns():
    """(route, view name or None, parameter names) of every staff URL pattern."""

    def descend(resolver, route, namespaces, params):
        for entry in resolver.url_patterns:
            here = route + str(entry.pattern)
            names = params + _params(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = namespaces + ([entry.namespace] if entry.namespace else [])
                yield from descend(entry, here, ns, names)
            elif here.startswith(STAFF_PREFIXES):
                name = ":".join(namespaces + [entry.name]) if entry.name else None
                yield here, name, names

    return list(descend(get_resolver(), "", [], []))


def _fill(params: list[str], obj) -> list[dict]:
    """Every way to fill the parameters from one foreign object, or [] if one cannot be filled."""
    choices = []
    for name in params:
        if name in APP_PARAMS:
            choices.append([obj._meta.app_label])
        elif name in MODEL_PARAMS:
            choices.append([obj._meta.model_name])
        elif name in STR_VALUES:
            choices.append(STR_VALUES[name])
        elif name == "pk" or name.endswith("_id") or name.endswith("_pk"):
            choices.append([str(obj.pk)])
        else:
            return []
    return [dict(zip(params, combo)) for combo in itertools.product(*choices)]


def _can_export(url: str) -> bool:
    """Does the view behind the URL offer ?export= (Wagtail's spreadsheet export mixin)?

    Only those views read the parameter; asking every other list for CSV and XLSX would
    double the requests and test nothing more.
    """
    view = getattr(resolve(url).func, "view_class", None)
    return view is not None and hasattr(view, "list_export")


def body_of(response) -> bytes:
    body = b"".join(response) if response.streaming else response.content
    if body[:2] == b"PK":  # xlsx / docx: look inside the zip
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"".join(archive.read(name) for name in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return body


class Probe:
    """Requests URLs; records every 5xx, every 200 whose body holds a needle, and every flash message holding one."""

    def __init__(self, needles):
        self.needles = [n.encode() for n in needles]
        self.requests = 0
        self.combos = 0
        self.problems: list[str] = []
        self._waiting: dict[int, str] = {}

    def request(self, client, user, label, method, url, data=None):
        self.requests += 1
        response = client.get(url, data or {}) if method == "GET" else client.post(url, data or {})
        if response.status_code >= 500:
            self.problems.append(f"{label} {method} {url} {data or ''} -> {response.status_code}")
        elif response.status_code == 200:
            body = body_of(response)
            found = [n.decode() for n in self.needles if n in body]
            if found:
                self.problems.append(f"{label} {method} {url} {data or ''} -> 200 showing {found}")
        # A flash message is shown by whichever page comes next: blame the request that left it.
        before, waiting = self._waiting.get(id(client), ""), _waiting_messages(client)
        self._waiting[id(client)] = waiting
        found = [n.decode() for n in self.needles if n.decode() in waiting and n.decode() not in before]
        if found:
            self.problems.append(f"{label} {method} {url} {data or ''} -> leaves a message showing {found}")
        if "_auth_user_id" not in client.session:  # a view logged us out: log in again
            login(client, user)
        return response


def _waiting_messages(client) -> str:
    """The text of the flash messages a response left for the next page (cookie and session)."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.contrib.messages.storage.session import SessionStorage
    from django.http import HttpRequest

    texts = []
    cookie = client.cookies.get("messages")
    if cookie is not None and cookie.value:
        texts += [str(m.message) for m in CookieStorage(HttpRequest())._decode(cookie.value) or []]
    stored = client.session.get("_messages")
    if stored:
        texts += [str(m.message) for m in SessionStorage(HttpRequest()).deserialize_messages(stored) or []]
    return " ".join(texts)


def walk(client_factory, users: dict, objects: list, probe: Probe, *, methods=("GET", "POST")):
    """Request every staff pattern as each user, filled from each object.

    Returns (patterns, requested pattern keys, unfillable routes). Fillings that give
    the same URL (records of different models sharing a primary key) are requested once.
    """
    return _walk(client_factory, users, objects, probe, methods)


def _walk(client_factory, users, objects, probe, methods):
    patterns = staff_patterns()
    requested: set[str] = set()
    unfillable: set[str] = set()
    for label, user in users.items():
        client = client_factory()
        login(client, user)
        for route, name, params in patterns:
            key = name or route
            if key in NOT_REQUESTED:
                continue
            if name is None:
                unfillable.add(route)
                continue
            if not params:
                url = reverse(name)
                variants = [("GET", None), ("GET", {"q": MARKER[:-1]})]
                if _can_export(url):
                    variants += [("GET", {"export": "csv"}), ("GET", {"export": "xlsx"})]
                if "POST" in methods:
                    variants.append(("POST", None))
                for method, data in variants:
                    probe.request(client, user, label, method, url, data)
                if name.endswith("chosen_multiple"):  # ids in the query string
                    for pk in sorted({obj.pk for obj in objects}):
                        probe.request(client, user, label, "GET", url, {"id": pk})
                probe.combos += len(variants)
                requested.add(key)
                continue
            filled, per_object = {}, []
            bulk = name == "wagtail_bulk_action"
            for obj in objects:
                keys = []
                for kwargs in _fill(params, obj):
                    try:
                        url = reverse(name, kwargs=kwargs)
                    except NoReverseMatch:
                        continue
                    keys.append((url, obj.pk if bulk else None))
                    filled.setdefault(keys[-1], []).append(obj)
                    probe.combos += len(methods)
                per_object.append(keys)
            urls = _worth_requesting(filled)
            if not urls:
                unfillable.add(route)
                continue
            requested.add(key)
            statuses: dict = {}

            def request(url, pk):
                if (url, pk) not in statuses:
                    status = None
                    if "GET" in methods:
                        status = probe.request(client, user, label, "GET", url, {"id": pk} if bulk else None).status_code
                    if "POST" in methods:
                        answer = probe.request(client, user, label, "POST", url + (f"?id={pk}" if bulk else ""))
                        status = status or answer.status_code
                    statuses[(url, pk)] = status
                return statuses[(url, pk)]

            for keys in per_object:
                keys = [k for k in keys if k in urls]
                # The string parameters (format, verb, …) are tried beyond their first values only when the
                # view found the record: a record the view answers 404 for is not there in any format.
                if keys and request(*keys[0]) != 404:
                    for url, pk in keys[1:]:
                        request(url, pk)
    return patterns, requested, unfillable


def _view_model(url: str):
    """The model a view serves, when the view says so (Wagtail's generic views and viewsets), else None."""
    func = resolve(url).func
    initkwargs = getattr(func, "view_initkwargs", None) or {}
    model = initkwargs.get("model") or getattr(getattr(func, "view_class", None), "model", None)
    return model if isinstance(model, type) else None


def _worth_requesting(filled: dict) -> set:
    """The fillings to request: for a view that names its model, those filled from a record of that model
    plus one filled from any other record (an id of the wrong kind must give 404, not 500); for any other
    view, all of them.

    A view that looks up its own model by an id taken from another model's record finds a foreign record
    only by chance; on PostgreSQL (ids never reused) those fillings were most of the requests and tested
    nothing the matching ones do not.
    """
    if not filled:
        return set()
    url = next(iter(filled))[0]
    model = _view_model(url)
    if model is not None:
        def fits(obj):
            return isinstance(obj, model)
    else:  # `page_id`, `image_id`, …: the parameter names the model
        named = {p[:-3].replace("_", "") for p in resolve(url).kwargs if p.endswith("_id") and p != "object_id"}
        if not named:
            return set(filled)

        def fits(obj):
            return any(getattr(k, "_meta", None) and k._meta.model_name in named for k in type(obj).__mro__)
    matching = {key for key, objs in filled.items() if any(fits(o) for o in objs)}
    others = sorted((key for key in filled if key not in matching), key=str)
    return matching | set(others[:1])


def snapshot(objects) -> list:
    out = []
    for obj in objects:
        fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
        out.append(None if fresh is None else model_to_dict(fresh))
    return out
