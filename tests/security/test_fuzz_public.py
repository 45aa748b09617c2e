"""Every public form and query parameter answers hostile input with a Chinese message, never a 5xx.

Hypothesis sends each public endpoint (the list is checked against the URL resolver, so a
new public URL must be added here) plausible and hostile values in UTF-8, GBK (declared or
not), an unknown charset and multipart; a refused form must leave the stored rows as they
were. Deterministic (derandomize) and sized to run in well under a minute per database.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from gongkai.core import captcha

from . import fuzzgen as fz

pytestmark = pytest.mark.django_db

EXAMPLES = 40
VALID_CAPTCHA = "<valid captcha>"
TALLY = fz.Tally()


def counts() -> dict:
    from gongkai.applications.models import Application
    from gongkai.audit.models import AuditEvent
    from gongkai.interaction.models import Message

    return {m.__name__: m.objects.count() for m in (Application, Message, AuditEvent)}


def with_captcha(data: dict) -> dict:
    data = dict(data)
    if data.get("captcha_answer") == VALID_CAPTCHA:
        token, _text, _words, answer = captcha.new_challenge()
        data.update(captcha_token=token, captcha_answer=str(answer))
    return data


APPLY = fz.Form({
    "agency": [], "kind": ["natural_person", "commercial", "other_org"], "name": ["张三", "洛阳示例科技有限公司"],
    "id_type": ["resident_id", "credit_code"], "id_number": ["11010519491231002X", "91410300MA44XY1C0K"],
    "contact_person": ["", "李四"], "phone": ["13800138000", "0379-63900000"], "email": ["", "a@example.invalid"],
    "address": ["", "洛阳市西工区中州中路1号"], "postal_code": ["", "471000"], "subject": ["", "优抚资金"],
    "description": ["请公开2025年度本局退役军人优抚资金发放汇总表。"], "document_number": ["", "洛退役〔2025〕1号"],
    "form_wanted": ["paper", "electronic", "either"], "delivery_wanted": ["post", "email", "pickup"],
    "consent": ["on"], "captcha_token": [], "captcha_answer": [VALID_CAPTCHA],
})
STATUS = fz.Form({"query_code": ["ABCDEFGHJK", "abcdefghjk"], "phone_last4": ["8000", "1234"],
                  "captcha_token": [], "captcha_answer": [VALID_CAPTCHA]})
WRITE = fz.Form({
    "agency": [], "category": ["consult", "suggestion", "complaint", "director_mailbox"],
    "title": ["关于优待证办理的咨询"], "content": ["请问退役军人优待证在哪里办理，需要带什么材料？"],
    "writer_name": ["张三"], "writer_phone": ["13812345678", "0379-63912345"], "writer_email": ["", "z@example.invalid"],
    "wants_public": ["on", ""], "captcha_token": [], "captcha_answer": [VALID_CAPTCHA],
})
QUERY = fz.Form({"code": ["ABCD-EFGH-JKMN", "abcdefghjkmn"]})
VERIFY = fz.Form({"code": ["ABCD-EFGH-JKMN", "abcdefghjkmn", "ABCD"]})
HUDONG_LIST = fz.Form({"q": ["优待证", ""], "category": ["consult", ""], "agency": [], "p": ["1", "2"]})
SEARCH = fz.Form({"q": ["退役军人", "优待"], "column": [], "category": ["", "01"], "year": ["", "2025"],
                  "order": ["relevance", "date"], "page": ["1", "2"], "scope": ["site", "all"]})
CATALOGUE = fz.Form({"q": ["", "通知"], "category": ["", "01"], "year": ["", "2025"], "late": ["", "on"],
                     "page": ["1"]})
PAGE = fz.Form({"page": ["1", "2"]})
ANY = fz.Form({"x": []})
ATTACHMENTS = st.one_of(st.none(), st.tuples(
    st.sampled_from(["证明.pdf", "照片.jpg", "a.exe", "\x00.pdf", "../../x.png", "中" * 300 + ".pdf"]),
    st.sampled_from([b"", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                     b"MZ\x90\x00", b"PK\x03\x04" + b"\x00" * 40, b"x" * 100_000])))


@pytest.fixture
def portal(agency, settings, tmp_path):
    settings.PUBLISH_ROOT = tmp_path / "publish"
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"
    return build_portal(agency)


def build_portal(agency) -> dict:
    """A public site with a column (feeds), the 信息公开 index, catalogue and annual-report column."""
    from gongkai.portal.demo import add
    from gongkai.portal.models.disclosure_pages import AnnualReportIndexPage, CataloguePage, DisclosureIndexPage
    from gongkai.portal.models.pages import ColumnPage, PolicyDocumentPage
    from gongkai.portal.setup import ensure_agency_portal

    from tests.factories import make_agency

    type(agency).objects.filter(pk=agency.pk).update(supervisor=make_agency("测试市政务公开办"))
    agency.refresh_from_db()
    home = ensure_agency_portal(agency, hostname="testserver", port=80, default=True)
    column = add(home, ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True))[0]
    add(column, PolicyDocumentPage(title="关于退役军人优待工作的通知", slug="p1", issuer=agency.name,
                                   body="<p>退役军人优待工作按本通知执行。</p>", statutory_category="01"))
    xxgk = add(home, DisclosureIndexPage(title="政府信息公开", slug="xxgk", show_in_menus=True))[0]
    add(xxgk, CataloguePage(title="政府信息公开目录", slug="gkml"))
    add(xxgk, AnnualReportIndexPage(title="政府信息公开年报", slug="gknb"))
    return {"agency": agency, "home": home, "column": column}


def _ids(portal) -> list[str]:
    return [str(portal["agency"].pk), str(portal["agency"].supervisor_id), str(portal["column"].pk)]


# name -> (form, send(client, data, encoding, extra) -> response, is_post)
def _send_get(path):
    return lambda client, data, encoding, portal, extra: fz.get(client, path(portal) if callable(path) else path, data)


def _send_post(path, files=False):
    def send(client, data, encoding, portal, extra):
        upload = {"attachment": extra} if files and extra else None
        return fz.post(client, path, with_captcha(data), encoding, files=upload)
    return send


def _path_segment(template):
    """The fuzzed value goes into the URL path (e.g. /hudong/<pk>/)."""
    def send(client, data, encoding, portal, extra):
        value = data.get("x")
        value = value[0] if isinstance(value, list) and value else value
        raw = value if isinstance(value, bytes) else str(value or "").encode("utf-8", "replace")
        from urllib.parse import quote_from_bytes

        return client.generic("GET", template(portal).format(quote_from_bytes(raw, safe=b"") or "0"))
    return send


ENDPOINTS = {
    "applications_public:apply GET": (fz.Form({"agency": []}), _send_get("/apply/"), False),
    "applications_public:apply POST": (APPLY, _send_post("/apply/"), True),
    "applications_public:receipt": (ANY, _send_get("/apply/receipt/"), False),
    "applications_public:status GET": (ANY, _send_get("/apply/status/"), False),
    "applications_public:status POST": (STATUS, _send_post("/apply/status/"), True),
    "applications_public:published": (fz.Form({"agency": [], "q": ["优待证申领", ""]}), _send_get("/apply/published/"),
                                      False),
    "applications_public:download": (ANY, _path_segment(lambda p: "/apply/status/download/{}/"), False),
    "letter_verify GET": (ANY, _send_get("/verify/"), False),
    "letter_verify POST": (VERIFY, _send_post("/verify/"), True),
    "interaction:index": (HUDONG_LIST, _send_get("/hudong/"), False),
    "interaction:detail": (ANY, _path_segment(lambda p: "/hudong/{}/"), False),
    "interaction:write GET": (fz.Form({"jiguan": [], "agency": []}), _send_get("/hudong/xie/"), False),
    "interaction:write POST": (WRITE, _send_post("/hudong/xie/", files=True), True),
    "interaction:done": (ANY, _send_get("/hudong/xie/wancheng/"), False),
    "interaction:query GET": (ANY, _send_get("/hudong/chaxun/"), False),
    "interaction:query POST": (QUERY, _send_post("/hudong/chaxun/"), True),
    "portal_search": (SEARCH, _send_get("/search/"), False),
    "portal_sitemap": (ANY, _send_get("/sitemap.xml"), False),
    "portal_site_map": (ANY, _send_get("/wzdt/"), False),
    "metrics": (ANY, _send_get("/metrics"), False),
    "annualreport_public:page": (ANY, _path_segment(lambda p: f"/annual-reports/{p['agency'].credit_code}/{{}}/"), False),
    "annualreport_public:page code": (ANY, _path_segment(lambda p: "/annual-reports/{}/2025/"), False),
    "annualreport_public:download": (ANY, _path_segment(lambda p: f"/annual-reports/{p['agency'].credit_code}/2025/report.{{}}"), False),
    "portal home": (PAGE, _send_get("/"), False),
    "portal column": (PAGE, _send_get("/zcwj/"), False),
    "portal column feeds": (ANY, _path_segment(lambda p: "/zcwj/feed/{}/"), False),
    "portal catalogue": (CATALOGUE, _send_get("/xxgk/gkml/"), False),
    "portal catalogue export csv": (CATALOGUE, _send_get("/xxgk/gkml/export/csv/"), False),
    "portal catalogue export json": (CATALOGUE, _send_get("/xxgk/gkml/export/json/"), False),
    "portal annual reports": (PAGE, _send_get("/xxgk/gknb/"), False),
    "portal page slug": (ANY, _path_segment(lambda p: "/{}/"), False),
}


@pytest.fixture(scope="module", autouse=True)
def _report_tally(request):
    yield
    print(f"\npublic fuzz: {TALLY.summary()}")  # shown with -s


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_public_endpoint_survives_hostile_input(name, portal, client):
    fuzz_endpoint(name, portal, client, settings(max_examples=EXAMPLES, derandomize=True))


def fuzz_endpoint(name, portal, client, budget, seed_value: int | None = None) -> None:
    """Run Hypothesis on one endpoint; `budget` is a hypothesis.settings, `seed_value` for fuzz/fuzz_forms.py."""
    form, send, is_post = ENDPOINTS[name]
    form = fz.Form({k: v or (_ids(portal) if k in ("agency", "column") else []) for k, v in form.fields.items()})

    @settings(budget, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=fz.form_data(form), encoding=st.sampled_from(fz.ENCODINGS), extra=ATTACHMENTS)
    def run(data, encoding, extra):
        cache.clear()  # rate limits would otherwise stop the fuzzer reaching the actions
        before = counts() if is_post else None
        response = send(client, data, encoding, portal, extra)
        TALLY.add(name, response.status_code)
        rejected = response.status_code >= 400 or (is_post and not 300 <= response.status_code < 400)
        fz.check_response(response, label=f"{name} {encoding} {data!r:.300}", rejected=rejected,
                          counts_before=before, counts_after=counts() if is_post else None)

    (seed(seed_value)(run) if seed_value is not None else run)()


def test_guard_refuses_gbk_and_nul_with_chinese_and_keeps_utf8_forms(portal, client):
    """The request guard, by example: what the attacker's probe sent."""
    for body, content_type in [
        ("title=中文".encode("gbk"), "application/x-www-form-urlencoded; charset=gbk"),
        (b"title=%D6%D0%CE%C4", "application/x-www-form-urlencoded"),
        (b"title=a%00b", "application/x-www-form-urlencoded"),
    ]:
        response = client.generic("POST", "/hudong/xie/", body, content_type=content_type)
        assert response.status_code == 400
        assert "UTF-8" in response.content.decode() and "请求无法处理" in response.content.decode()
    assert client.get("/hudong/", {"q": "a\x00"}).status_code == 400
    assert client.get("/hudong/", {"agency": "9" * 20}).status_code == 200
    # A well-formed UTF-8 form still reaches the form, which answers field by field.
    response = client.post("/hudong/xie/", {"title": "中文"})
    assert response.status_code == 400 and "请填写留言内容" in response.content.decode()


def test_every_public_url_is_fuzzed():
    """A new public URL pattern must be added to ENDPOINTS (admin, accounts and documents are staff)."""
    names = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                if str(p.pattern).startswith(("admin/", "accounts/", "documents/")) or p.namespace == "wagtail_serve":
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name and not p.name.startswith("wagtail"):
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    fuzzed = {name.split(" ")[0] for name in ENDPOINTS}
    assert names - {"healthz"} <= fuzzed, f"public URLs not fuzzed: {sorted(names - fuzzed)}"
