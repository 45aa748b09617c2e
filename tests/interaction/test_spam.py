"""Spam checks of the public form (pure functions)."""

from __future__ import annotations

import pytest

from gongkai.interaction import spam


@pytest.mark.parametrize("text, problem", [
    ("点击 https://bit.ly/abc 领取", "网址链接"),
    ("加我 www.example.com", "网址链接"),
    ("访问 subsidy-now.top/get 马上领", "网址链接"),
    ("我在 https://www.ly.gov.cn/zwgk 看到的政策", None),
    ("哈哈哈哈哈哈哈哈哈哈哈哈", "连续重复"),
    ("领补贴领补贴领补贴领补贴领补贴领补贴", "反复出现"),
    ("请问2025年度的伤残抚恤金什么时候发放？我是三级伤残，去年12月才到账。", None),
])
def test_links_and_repetition(text, problem):
    found = spam.link_problem(text) or spam.repetition_problem(text)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_length_and_fingerprint():
    assert "太短" in spam.length_problem("你好！")
    assert "超过2000字" in spam.length_problem("问" * 1000 + "题" * 1001)
    assert spam.fingerprint("请问 优待证，在哪里办理？") == spam.fingerprint("请问优待证在哪里办理")
    assert spam.fingerprint("请问优待证在哪里办理") != spam.fingerprint("请问光荣牌在哪里办理")


def test_content_problems_name_the_field():
    assert set(spam.content_problems("看 www.x.com", "正常的留言内容，请问如何办理优待证？")) == {"title"}
    assert set(spam.content_problems("正常标题", "短")) == {"content"}
