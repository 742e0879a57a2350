"""The studio in Chinese: 简体 by default, 繁體 and English chosen and remembered per browser; every key the
pages and scripts use is in each catalog."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from browser import shot
from studio_server import Studio
from test_studio_browser import SHORT

STUDIO = Path(__file__).resolve().parent.parent / "broadcaster" / "studio"


def used_keys() -> set[str]:
    keys = set()
    for js in (STUDIO / "static").glob("*.js"):
        for m in re.finditer(r'(?<![\w.])T\(("(?:[^"\\]|\\.)*")', js.read_text(encoding="utf-8")):
            keys.add(json.loads(m.group(1)))
    for html in (STUDIO / "templates").glob("*.html"):
        keys |= set(re.findall(r'_\("((?:[^"\\]|\\.)*)"', html.read_text(encoding="utf-8")))
    return keys


def test_every_key_is_in_each_catalog():
    keys = used_keys()
    assert len(keys) > 150
    for lang in ("zh-Hans", "zh-Hant"):
        catalog = json.loads((STUDIO / "static" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
        missing = sorted(k for k in keys if k not in catalog)
        assert not missing, (lang, missing[:10])
        for key, value in catalog.items():  # a translation uses only its key's placeholders (an English plural may go)
            assert set(re.findall(r"\{\w+\}", value)) <= set(re.findall(r"\{\w+\}", key)), (lang, key, value)


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    s = Studio(tmp_path_factory.mktemp("data"))
    yield s
    s.stop()


def test_chinese_by_default_traditional_and_english_chosen_and_remembered(chromium, studio, tmp_path):  # noqa: F811
    from docx_maker import make_legacy_doc

    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors: list = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(studio.url + "/")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert page.inner_text("h1") == "新建节目"
    page.set_input_files("[data-testid=file-input]", str(make_legacy_doc(tmp_path / "旧稿.doc")))
    page.wait_for_selector("#message", state="visible")  # the refusal, in Chinese, with the file's own name
    assert page.inner_text("#message").startswith("旧稿.doc:1: 无法读取 Word 97-2003（.doc）文档：请用 Word 或 WPS 打开，另存为")
    _, ep = studio.json("POST", "/api/episodes", {"name": "中文界面", "text": SHORT}, expect=201)
    page.goto(f"{studio.url}/episodes/{ep['id']}")
    page.wait_for_selector("[data-testid=segment]")
    assert page.inner_text("[data-testid=tab-understood]") == "读懂的内容"
    assert page.inner_text("[data-testid=render]") == "生成"
    page.click("[data-testid=render]")
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('已生成')")
    page.click("[data-testid=tab-files]")
    assert "第 1 版" in page.inner_text("[data-testid=set-version]")
    page.click("[data-testid=tab-settings]")
    assert "字幕规格" in page.inner_text("[data-testid=view-settings]")
    shot(page, "chinese-settings")
    page.select_option("[data-testid=lang]", "zh-Hant")
    page.wait_for_function("() => document.documentElement.lang === 'zh-Hant'")
    assert page.inner_text("[data-testid=tab-understood]") == "讀懂的內容"
    page.goto(studio.url + "/")  # remembered in this browser
    assert page.inner_text("h1") == "新建節目"
    page.select_option("[data-testid=lang]", "en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.inner_text("h1") == "New episode"
    other = chromium.new_context().new_page()  # another browser: its own choice, 简体 to begin with
    other.goto(studio.url + "/")
    assert other.inner_text("h1") == "新建节目"
    other.context.close()
    assert errors == []
    context.close()


def test_warnings_and_errors_in_the_chosen_language(studio):
    _, ep = studio.json("POST", "/api/episodes", {"name": "警告", "text": SHORT}, expect=201)
    text = SHORT.replace("# 第一段 开场\n", "# 第一段 开场\n\n开场前的一句话。\n")
    for lang, expected in (("zh-Hans", "第一个说话人标签之前的文字：由旁白朗读"), ("zh-Hant", "第一個說話人標籤之前的文字：由旁白朗讀"),
                           ("en", "text before the first speaker label: read by the narrator")):
        _, checked = studio.json("POST", f"/api/episodes/{ep['id']}/check", {"text": text},
                                 headers={"Cookie": f"studio_lang={lang}"}, expect=200)
        assert expected in [w["message"] for w in checked["warnings"]], (lang, checked["warnings"])
    status, refused = studio.json("POST", f"/api/episodes/{ep['id']}/versions", {"text": "x", "base": 0},
                                  headers={"Cookie": "studio_lang=zh-Hans"})
    assert status == 409 and refused["error"].startswith("在你编辑的第 0 版之后")
    status, refused = studio.json("POST", f"/api/episodes/{ep['id']}/versions", {"text": "x", "base": 0})
    assert status == 409 and refused["error"].startswith("version 1 was saved")  # a script without the cookie: English
