"""文号: per-agency patterns, a series per (agency, prefix, year) that never repeats, stable on reprint."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connections

from gongkai.agencies.roles import Role
from gongkai.applications import actions, letters, printing
from gongkai.applications.models import IssuedLetterNumber, LetterNumberPattern
from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError
from gongkai.law.letternumbers import PatternError, check_pattern, render, series_prefix

from .helpers import register


@pytest.mark.parametrize(("pattern", "message"), [
    ("", "请填写文号格式"),
    ("洛退役依申答〔{年}〕号", "必须包含 {序号}"),
    ("洛退役{序号}〔{年}〕{序号}号", "只能出现一次"),
    ("洛退役依申答〔{年份}〕{序号}号", "无法识别的占位符：{年份}"),
    ("洛退役依申答〔{年〕{序号}号", "花括号不成对"),
    ("{序号}号", "{序号} 前须有文字"),
])
def test_bad_patterns_are_refused_in_chinese(pattern, message):
    with pytest.raises(PatternError, match=message.replace("{", r"\{").replace("}", r"\}")):
        check_pattern(pattern)


def test_patterns_render_and_split_into_series():
    pattern = "{机关简称}依申{类型}〔{年}〕{序号}号"
    assert render(pattern, short_name="洛退役", kind_code="答", year=2026, seq=12) == "洛退役依申答〔2026〕12号"
    assert series_prefix(pattern, short_name="洛退役", kind_code="答") == "洛退役依申答〔{年}〕"


pytestmark = pytest.mark.django_db


def numbers(app, *keys):
    return [printing.letter_for(app, key, actor=None, issue=True).doc_number for key in keys]


def test_numbers_are_sequential_per_series_and_the_same_on_reprint(agency, officer, fixed_today):
    agency.short_name = "洛退役"
    agency.save()
    apps = [register(agency, officer, description=f"文件{i}") for i in range(3)]
    assert [numbers(a, "receipt")[0] for a in apps] == [f"洛退役依申回〔2026〕{i}号" for i in (1, 2, 3)]
    # Reprint: the same number, nothing new issued or audited.
    issued = AuditEvent.objects.filter(action="applications.letter_number_issue").count()
    assert numbers(apps[0], "receipt", "receipt") == ["洛退役依申回〔2026〕1号"] * 2
    assert AuditEvent.objects.filter(action="applications.letter_number_issue").count() == issued == 3
    # A pattern changed later does not change a number already issued; new letters follow it.
    actions.letter_number_pattern_set(agency, actor=None, letter_kind="", pattern="洛退役依申〔{年}〕{序号}号")
    assert numbers(apps[1], "receipt") == ["洛退役依申回〔2026〕2号"]
    new = register(agency, officer, description="文件新")
    assert numbers(new, "receipt") == ["洛退役依申〔2026〕1号"]


def test_a_pattern_per_kind_wins_over_the_one_for_all_and_one_pattern_shares_one_count(agency, officer, head,
                                                                                      fixed_today):
    actions.letter_number_pattern_set(agency, actor=head, letter_kind="", pattern="测退依申〔{年}〕{序号}号")
    actions.letter_number_pattern_set(agency, actor=head, letter_kind="extension", pattern="测退延〔{年}〕{序号}号")
    app = register(agency, officer)
    actions.application_request_correction(app, actor=officer, on=date(2026, 3, 2), items=["写明文号"],
                                           period_end=date(2026, 3, 9))
    actions.application_record_correction(app, actor=officer, on=date(2026, 3, 2))
    actions.application_extend(app, actor=head, on=date(2026, 3, 2), reason="需要调档")
    assert numbers(app, "receipt", "correction", "extension") == ["测退依申〔2026〕1号", "测退依申〔2026〕2号",
                                                                   "测退延〔2026〕1号"]
    event = AuditEvent.objects.filter(action="applications.letter_number_pattern").order_by("seq").last()
    assert event.actor == head and event.new == {"letter_kind": "extension", "pattern": "测退延〔{年}〕{序号}号"}
    with pytest.raises(DomainError, match="公开工作机构负责人"):
        actions.letter_number_pattern_set(agency, actor=officer, letter_kind="", pattern="x{序号}")


def test_each_year_starts_again_at_one(agency, officer, fixed_today):
    agency.short_name = "测退"
    agency.save()
    a = register(agency, officer, received=date(2026, 3, 2))
    b = register(agency, officer, received=date(2026, 3, 2), description="乙")
    fixed_today(date(2027, 1, 6))
    c = register(agency, officer, received=date(2027, 1, 6), description="丙")
    assert [numbers(x, "receipt")[0] for x in (a, c, b)] == ["测退依申回〔2026〕1号", "测退依申回〔2027〕1号",
                                                            "测退依申回〔2026〕2号"]


def test_a_pattern_without_a_year_counts_on_across_years(agency, officer, fixed_today):
    actions.letter_number_pattern_set(agency, actor=None, letter_kind="", pattern="测退依申第{序号}号")
    a = register(agency, officer, received=date(2026, 3, 2))
    fixed_today(date(2027, 1, 6))
    b = register(agency, officer, received=date(2027, 1, 6), description="乙")
    assert numbers(a, "receipt") + numbers(b, "receipt") == ["测退依申第1号", "测退依申第2号"]


def test_two_patterns_that_spell_the_same_text_never_give_the_same_number(agency, officer, fixed_today):
    actions.letter_number_pattern_set(agency, actor=None, letter_kind="receipt", pattern="X1{序号}")
    actions.letter_number_pattern_set(agency, actor=None, letter_kind="correction", pattern="X{序号}")
    apps = [register(agency, officer, description=f"文件{i}") for i in range(2)]
    assert [numbers(a, "receipt")[0] for a in apps] == ["X11", "X12"]
    for a in apps:
        actions.application_request_correction(a, actor=officer, on=date(2026, 3, 2), items=["写明文号"],
                                               period_end=date(2026, 3, 9))
    got = [numbers(a, "correction")[0] for a in apps]
    assert len(set(got) | {"X11", "X12"}) == 4, got  # X11 and X12 are skipped in the X series


def test_a_reader_who_does_not_handle_the_case_prints_without_issuing_a_number(client, agency, officer, fixed_today):
    app = register(agency, officer)
    assert letters.build_letter(app, "receipt").doc_number == letters.NOT_YET_NUMBERED
    assert not IssuedLetterNumber.objects.exists()
    client.force_login(officer)
    assert client.get(f"/admin/applications/{app.pk}/letter/receipt.docx").status_code == 200
    [row] = IssuedLetterNumber.objects.all()
    assert row.issued_by == officer and letters.build_letter(app, "receipt").doc_number == row.number


@pytest.mark.django_db(transaction=True)
def test_concurrent_letters_never_share_a_number(agency, staff_factory, fixed_today):
    """Eight threads, each on its own connection, number letters of one series at the same moment, five rounds.

    Every round starts a new series (a new year in the pattern's text is not needed: a new prefix
    per round), so the race on creating the series row is run as well as the one on taking the next serial.
    """
    officer = staff_factory(agency, Role.APPLICATION_OFFICER, "officer_c")
    threads_n, rounds = 8, 5
    apps = [register(agency, officer, description=f"并发{i}") for i in range(threads_n * rounds)]
    errors: list[Exception] = []
    got: dict[int, list[str]] = {}
    for r in range(rounds):
        actions.letter_number_pattern_set(agency, actor=None, letter_kind="", pattern=f"并发{r}〔{{年}}〕{{序号}}号")
        barrier = threading.Barrier(threads_n)

        def work(app):
            try:
                barrier.wait(timeout=30)
                got.setdefault(r, []).append(actions.letter_number_issue(
                    app, actor=officer, letter_key="receipt", on=date(2026, 3, 2)).number)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work, args=(a,)) for a in apps[r * threads_n:(r + 1) * threads_n]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors
    for r in range(rounds):
        assert sorted(got[r]) == sorted(f"并发{r}〔2026〕{i}号" for i in range(1, threads_n + 1)), got[r]
    assert IssuedLetterNumber.objects.count() == threads_n * rounds
    print(f"\n{connections['default'].vendor}: {threads_n} threads x {rounds} rounds, "
          f"{threads_n * rounds} numbers, none repeated")


def test_the_administrator_screen_refuses_a_bad_pattern_in_chinese_and_keeps_what_was_typed(
        client, agency, head, other_agency, staff_factory, monkeypatch):
    monkeypatch.setattr("gongkai.accounts.middleware.two_factor_required", lambda user: False)
    client.force_login(head)
    add = "/admin/snippets/applications/letternumberpattern/add/"
    assert client.get(add).status_code == 200
    typed = "洛退役依申答〔{年}〕号"
    bad = client.post(add, {"agency": agency.pk, "letter_kind": "reply", "pattern": typed})
    html = bad.content.decode()
    assert bad.status_code == 200 and "文号格式必须包含 {序号}" in html and f'value="{typed}"' in html
    assert not LetterNumberPattern.objects.exists()
    ok = client.post(add, {"agency": agency.pk, "letter_kind": "reply", "pattern": "洛退役依申答〔{年}〕{序号}号"})
    assert ok.status_code == 302
    row = LetterNumberPattern.objects.get()
    assert (row.agency, row.letter_kind, row.pattern) == (agency, "reply", "洛退役依申答〔{年}〕{序号}号")
    edit = f"/admin/snippets/applications/letternumberpattern/edit/{row.pk}/"
    bad = client.post(edit, {"pattern": "洛退役{序号}{序号}"})
    assert bad.status_code == 200 and "只能出现一次" in bad.content.decode()
    row.refresh_from_db()
    assert row.pattern == "洛退役依申答〔{年}〕{序号}号"
    # Another agency's head sees neither the row nor its edit page.
    client.force_login(staff_factory(other_agency, Role.OFFICE_HEAD, "head_other"))
    assert client.get(edit).status_code in (403, 404)
    assert "洛退役依申答" not in client.get("/admin/snippets/applications/letternumberpattern/").content.decode()
