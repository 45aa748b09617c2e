"""The link check crawls a real site in-process: dead internal links and lost attachments, each with its page."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from wagtail.models import Site

from gongkai.inspection.crawl import UNCHECKED_REASON, crawl_site, parse_html, status_reason
from gongkai.inspection.models import LinkCheckRun
from gongkai.inspection.probe import links_as_facts
from gongkai.law.inspection import LinkFacts
from gongkai.portal.models.sites import PortalSite
from tests.portal.conftest import docx_bytes, make_document, make_policy

pytestmark = pytest.mark.django_db



def document(name, title, capture):
    with capture(execute=True):  # the text extraction for the 保密审查 scan runs on commit
        return make_document(name, docx_bytes("本办法自发布之日起施行。"), title=title)


@pytest.fixture(autouse=True)
def publish_root(settings, tmp_path):
    settings.PUBLISH_ROOT = tmp_path / "publish"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_CHECK_EXTERNAL_LINKS = False


@pytest.fixture
def site(agency, django_capture_on_commit_callbacks):
    from gongkai.portal.models.pages import ColumnPage
    from gongkai.portal.setup import ensure_agency_portal

    with django_capture_on_commit_callbacks(execute=True):
        home = ensure_agency_portal(agency, hostname="testserver", port=80, default=True)
        column = ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True)
        home.add_child(instance=column)
        column.save_revision().publish()
    return {"portal": PortalSite.objects.get(agency=agency), "home": home, "column": column}


def path_of(page) -> str:
    return urlsplit(page.full_url).path


def publish(column, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return make_policy(column, publish=True, **kwargs)


def test_a_clean_site_has_no_problems_and_every_page_is_visited(site, django_capture_on_commit_callbacks):
    document_ = document("办法.docx", "办法全文", django_capture_on_commit_callbacks)
    first = publish(site["column"], django_capture_on_commit_callbacks, title="关于困难群众救助的办法",
                    attachments=[document_])
    publish(site["column"], django_capture_on_commit_callbacks, title="关于退役军人优待的通知",
                     body=f'<p>参见<a href="{first.url}">救助办法</a>。</p>')
    run = crawl_site(site["portal"])
    assert run.error == "" and run.finished_at is not None
    assert run.problems == []
    # home, column, both policies at least; the attachment counted among the links
    assert run.pages >= 4 and run.links > run.pages
    assert LinkCheckRun.objects.get() == run
    assert links_as_facts(run) == []


def test_a_dead_link_and_a_lost_attachment_are_the_only_problems_each_with_its_page(
        site, django_capture_on_commit_callbacks):
    lost = document("细则.docx", "实施细则", django_capture_on_commit_callbacks)
    with_attachment = publish(site["column"], django_capture_on_commit_callbacks, title="关于实施细则的通知",
                              attachments=[lost])
    with_dead_link = publish(site["column"], django_capture_on_commit_callbacks, title="关于救助标准的通知",
                             body='<p>详见<a href="/no-such-page/">原标准</a>。</p>')
    publish(site["column"], django_capture_on_commit_callbacks, title="关于一件无关事项的通知")
    os.remove(lost.file.path)  # the file is lost from the storage

    run = crawl_site(site["portal"])

    assert run.error == ""
    dead = sorted((p for p in run.problems if p["status"] == "dead"), key=lambda p: p["url"])
    assert len(dead) == 2 and len(run.problems) == 2, run.problems
    doc_link, page_link = dead
    assert doc_link["url"] == lost.url and doc_link["source_ref"] == path_of(with_attachment)
    assert "关于实施细则的通知" in doc_link["source_title"]
    assert doc_link["reason"] == status_reason(404) == "页面不存在（404）"
    assert page_link == {"source_ref": path_of(with_dead_link), "source_title": page_link["source_title"],
                         "url": "/no-such-page/", "status": "dead", "reason": "页面不存在（404）"}
    assert "关于救助标准的通知" in page_link["source_title"]
    facts = links_as_facts(run)
    assert {f.url for f in facts} == {lost.url, "/no-such-page/"}
    assert all(isinstance(f, LinkFacts) and f.status == "dead" for f in facts)


def test_an_external_link_is_unchecked_once_when_external_checking_is_off(site, django_capture_on_commit_callbacks):
    body = ('<p><a href="http://www.gov.cn/zhengce/">中国政府网</a>'
            '<a href="mailto:mzj@example.test">邮件</a><a href="tel:12345">电话</a><a href="#top">顶部</a></p>')
    publish(site["column"], django_capture_on_commit_callbacks, title="第一份通知", body=body)
    publish(site["column"], django_capture_on_commit_callbacks, title="第二份通知", body=body)

    run = crawl_site(site["portal"])  # GONGKAI_CHECK_EXTERNAL_LINKS is off: no network

    assert run.error == ""
    assert len(run.problems) == 1, run.problems
    problem = run.problems[0]
    assert problem["url"] == "http://www.gov.cn/zhengce/" and problem["status"] == "unchecked"
    assert problem["reason"] == UNCHECKED_REASON == "未检查外部链接（未开启外网检查）"
    assert problem["source_ref"].startswith("/zcwj/")
    assert [f.status for f in links_as_facts(run)] == ["unchecked"]


def test_external_links_are_checked_when_asked(site, django_capture_on_commit_callbacks, monkeypatch):
    from gongkai.inspection import crawl

    asked = []

    def fake_check(url, **kwargs):
        asked.append(url)
        return crawl._Result(ok=url.endswith("/ok/"), reason="" if url.endswith("/ok/") else "页面不存在（404）")

    monkeypatch.setattr(crawl, "check_external_url", fake_check)
    page = publish(site["column"], django_capture_on_commit_callbacks, title="外链",
                   body='<p><a href="http://a.example.test/ok/">好</a><a href="http://a.example.test/gone/">坏</a></p>')
    run = crawl_site(site["portal"], check_external=True)
    assert sorted(asked) == ["http://a.example.test/gone/", "http://a.example.test/ok/"]
    assert run.problems == [{"source_ref": path_of(page), "source_title": run.problems[0]["source_title"],
                             "url": "http://a.example.test/gone/", "status": "dead", "reason": "页面不存在（404）"}]


def test_a_site_whose_home_page_does_not_load_is_a_failed_run(site):
    Site.objects.filter(pk=site["portal"].site_id).update(hostname="unknown.example.test")
    site["portal"].refresh_from_db()
    run = crawl_site(site["portal"])
    assert run.error.startswith("网站首页") and "无法访问" in run.error
    assert links_as_facts(run) is None


def test_an_unexpected_error_is_stored_not_raised(site, monkeypatch):
    from gongkai.inspection import crawl

    def boom(self):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(crawl.SiteCrawler, "run", boom)
    run = crawl_site(site["portal"])
    assert "链接检查未能完成" in run.error and "磁盘已满" in run.error
    assert links_as_facts(run) is None
    assert links_as_facts(None) is None


def test_the_parser_finds_every_kind_of_link():
    links, title, base = parse_html(
        '<html><head><title> 首页 \n 测试 </title><link rel="stylesheet" href="/s.css">'
        '<link rel="preconnect" href="https://cdn.example.test"><script src="/a.js"></script></head>'
        '<body><a href="/x/">x</a><img src="/i.png"><a>no href</a></body></html>')
    assert links == ["/s.css", "/a.js", "/x/", "/i.png"]
    assert title == "首页 测试" and base is None


def test_a_mounted_site_is_crawled_under_its_prefix_and_the_other_site_is_not(settings,
                                                                             django_capture_on_commit_callbacks):
    from tests.portal import test_mounts as tm

    settings.ALLOWED_HOSTS = [tm.SHARED, "testserver"]
    with django_capture_on_commit_callbacks(execute=True):
        agency, mounted = tm.create(f"{tm.SHARED}/bm/mzj", "洛阳市民政局", 1)
        column, policy = tm.add_policy(mounted, "困难群众救助办法")
        _other_agency, other = tm.create(f"{tm.SHARED}/bm/jyj", "洛阳市教育局", 2)
        tm.add_policy(other, "困难学生资助办法")
    with django_capture_on_commit_callbacks(execute=True):
        broken = make_policy(column, title="引用旧页面的通知", publish=True,
                             body='<p><a href="/bm/mzj/zcwj/gone/">旧页面</a><a href="/bm/jyj/zcwj/">教育局政策</a></p>')

    run = crawl_site(PortalSite.objects.get(agency=agency))

    assert run.error == "" and run.pages >= 4
    assert run.problems == [{"source_ref": f"/bm/mzj/zcwj/{broken.slug}/", "source_title": run.problems[0]["source_title"],
                             "url": "/bm/mzj/zcwj/gone/", "status": "dead", "reason": "页面不存在（404）"}]
    assert "引用旧页面的通知" in run.problems[0]["source_title"]
    del policy


def test_the_crawl_task_and_command(site, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    from gongkai.inspection import tasks

    publish(site["column"], django_capture_on_commit_callbacks, title="坏链接", body='<p><a href="/gone/">旧</a></p>')
    assert tasks.crawl_site_task.call(site["portal"].pk).endswith("1 problems")
    assert tasks.crawl_site_task.call(987654) == "skipped"
    out = io.StringIO()
    call_command("inspection_crawl", "--site", str(site["portal"].pk), stdout=out)
    assert "无法访问 1 个" in out.getvalue()
    assert LinkCheckRun.objects.filter(site=site["portal"]).count() == 2
