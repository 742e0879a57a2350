"""The studio driven as a producer uses it: real Chromium against `broadcaster serve`."""
from __future__ import annotations

import io
import zipfile

import pysrt
import pytest
import srt

from browser import shot
from studio_server import Studio

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    s = Studio(tmp_path_factory.mktemp("data"), "--workers", "2",
               env={"BROADCASTER_CACHE": str(tmp_path_factory.mktemp("cache")),
                    "BROADCASTER_STUDIO_TEST_CRASH": "CRASH-THIS-RENDER"})
    yield s
    s.stop()


@pytest.fixture
def page(chromium, studio):  # noqa: F811
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    context.add_cookies([{"name": "studio_lang", "value": "en", "url": studio.url}])  # these tests read the English
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def open_upload(page, studio, path):
    page.goto(studio.url + "/")
    page.set_input_files("[data-testid=file-input]", str(path))
    page.wait_for_url("**/episodes/*")
    page.wait_for_selector("[data-testid=segment]")
    return page.url.rsplit("/", 1)[1]


def editor_line(page) -> int:
    return page.evaluate("() => { const e = document.getElementById('editor');"
                         " return e.value.slice(0, e.selectionStart).split('\\n').length; }")


def test_column_upload_voice_fix_render_download(page, studio, column_path):
    eid = open_upload(page, studio, column_path)
    assert page.inner_text("[data-testid=segments] b") == "3"
    assert page.inner_text("[data-testid=turns] b") == "32"
    assert page.locator("[data-testid=segment]").count() == 3
    assert page.locator("[data-testid=turn]").count() == 32
    assert page.locator("[data-testid=speakers] .chip.guest").count() == 3

    # change a guest's voice
    page.click("[data-testid=tab-settings]")
    page.select_option("select[aria-label='李大星: voice']", "zh-CN-YunjianNeural")
    page.wait_for_function("() => document.getElementById('status').textContent === 'settings saved'")
    _, saved = studio.json("GET", f"/api/episodes/{eid}")
    key = next(s["key"] for s in saved["speakers"] if s["name"] == "李大星")
    assert saved["settings"]["speakers"][key]["voice"] == "zh-CN-YunjianNeural"
    assert saved["voices"]["cast"][key]["voice"] == "zh-CN-YunjianNeural"

    # a warning jumps to its line; joining the page break there makes it go away
    page.click("[data-testid=tab-understood]")
    assert page.locator("[data-testid=warnings] li").count() == 5
    page.click("[data-testid=warnings] button[data-line='19']")
    assert editor_line(page) == 19
    page.keyboard.press("Home")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=warnings] li').length === 4")
    assert page.locator("[data-testid=warnings] button[data-line='19']").count() == 0
    assert page.inner_text("[data-testid=turns] b") == "32"
    assert page.is_visible("[data-testid=dirty]")

    # render (saves first), then the previews
    page.click("[data-testid=render]")
    page.wait_for_selector("[data-testid=file-list]", state="attached")
    assert page.inner_text("[data-testid=version]") == "v2"
    page.click("[data-testid=tab-subtitles]")
    assert page.locator("[data-testid=cue]").count() > 300
    assert page.inner_text("[data-testid=qc-summary]") == "no QC violations"
    page.click("[data-testid=tab-player]")
    page.fill("#player-seek", "500")
    page.dispatch_event("#player-seek", "input")
    assert page.inner_text("[data-testid=player-cue]").strip()
    page.click("[data-testid=tab-prompter]")
    frame = page.frame_locator("[data-testid=prompter-frame]")
    frame.locator("text=深化体制机制改革").first.wait_for()

    # download the zip and read every file with the readers the CLI tests use
    with page.expect_download() as info:
        page.click("[data-testid=zip]")
    download = info.value
    assert download.suggested_filename == f"{column_path.stem}.v2.zip"
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as zf:
        files = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist()}
    programme = list(srt.parse(files[f"{column_path.stem}.srt"].decode("utf-8")))
    text = "".join(c.content for c in programme)
    assert "产业格局" in text and len(programme) > 300
    for name, data in files.items():
        if name.endswith(".srt"):
            assert len(pysrt.from_string(data.decode("utf-8"))) > 50
    assert "深化体制机制改革" in files[f"{column_path.stem}.prompter.txt"].decode()
    assert page.errors == []


HOSTILE = """《<script>window.__pwned=1</script>》专栏

# <img src=x onerror="window.__pwned=2"> 第一段

**主持人李薇：**大家好<script>window.__pwned=3</script>，欢迎<svg onload="window.__pwned=4">收看。

**嘉宾"><iframe src=javascript:window.__pwned=5>王五：**谢谢 <a href="javascript:window.__pwned=6">点我</a>。
"""


def test_hostile_transcript_runs_no_script(page, studio):
    status, ep = studio.json("POST", "/api/episodes", {"name": "<b>x</b>", "text": HOSTILE})
    assert status == 201
    studio.json("POST", f"/api/episodes/{ep['id']}/render", {}, expect=200)
    page.goto(f"{studio.url}/episodes/{ep['id']}")
    page.wait_for_selector("[data-testid=segment]")
    page.click("[data-testid=tab-prompter]")
    page.frame_locator("[data-testid=prompter-frame]").locator("body").wait_for()
    page.click("[data-testid=tab-subtitles]")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('#view-understood script, #view-understood img, "
                         "#view-understood svg, #view-understood iframe').length") == 0
    assert "<script>" in page.input_value("[data-testid=editor]")
    assert page.locator("iframe[data-testid=prompter-frame]").count() == 1
    prompter = page.frames[1]
    assert prompter.evaluate("() => window.__pwned") is None
    # its own scripts only (the prompter's, and the follow-voice one the studio adds): none from the transcript
    assert prompter.evaluate("() => Array.from(document.querySelectorAll('script')).filter((e) => e.src || "
                             "e.textContent.includes('__pwned')).length") == 0


def test_two_tabs_lose_nothing(page, studio):
    """Both tabs type; the second to save merges paragraph by paragraph (both versions side by side) and
    keeps both tabs' edits; the first tab is told and shows the merge."""
    status, ep = studio.json("POST", "/api/episodes", {"name": "tabs", "text": HOSTILE.replace("<", "")})
    url = f"{studio.url}/episodes/{ep['id']}"
    other = page.context.new_page()
    for p in (page, other):
        p.goto(url)
        p.wait_for_selector("[data-testid=segment]")
    other.locator("[data-testid=editor]").press("Control+End")
    other.keyboard.type("\n**主持人李薇：**第二个标签页加的话。")
    page.locator("[data-testid=editor]").press("Control+Home")
    page.keyboard.type("【改】")  # the title, changed in the first tab only
    page.locator("[data-testid=editor]").press("Control+End")
    page.keyboard.type("\n**主持人李薇：**第一个标签页加的话。")
    page.keyboard.press("Control+s")
    page.wait_for_function("() => document.getElementById('version').textContent === 'v2'")
    other.wait_for_selector("[data-testid=other-tab]", state="visible")  # told while it still types
    assert "saved in another tab while you typed here" in other.inner_text("[data-testid=other-tab]")
    other.click("[data-testid=save]")
    other.wait_for_selector("[data-testid=merge-hunk]")
    assert "nothing was overwritten" in other.inner_text("[data-testid=conflict]")
    assert other.locator("[data-testid=merge-hunk]").count() == 2
    assert other.is_checked("[data-testid=merge-0-theirs]")  # only the other tab changed the title
    assert other.is_checked("[data-testid=merge-1-both]")  # both added a line: both kept unless told otherwise
    hunk = other.inner_text("[data-testid=merge-hunk] >> nth=1")
    assert "第一个标签页" in hunk and "第二个标签页" in hunk  # side by side
    assert other.locator("[data-testid=merge-hunk] >> nth=0").locator("mark").all_inner_texts() == ["【改】"]  # marked
    shot(other, "merge")
    other.click("[data-testid=merge-save]")
    other.wait_for_function("() => document.getElementById('version').textContent === 'v3'")
    _, v3 = studio.json("GET", f"/api/episodes/{ep['id']}/versions/3")
    assert "【改】" in v3["text"] and "第一个标签页加的话" in v3["text"] and "第二个标签页加的话" in v3["text"]
    page.wait_for_function("() => document.getElementById('version').textContent === 'v3'")  # the first tab is told
    assert "Version 3 was saved in another tab" in page.inner_text("[data-testid=other-tab]")
    assert "第二个标签页加的话" in page.input_value("[data-testid=editor]")
    other.click("[data-testid=tab-history]")
    other.wait_for_selector("[data-testid=restore-2]")
    other.click("[data-testid=restore-2]")  # restoring makes a new version; v3 stays
    other.wait_for_function("() => document.getElementById('version').textContent === 'v4'")
    assert "第二个标签页" not in other.input_value("[data-testid=editor]")
    assert "第二个标签页" in studio.json("GET", f"/api/episodes/{ep['id']}/versions/3")[1]["text"]
    assert page.errors == []


def test_a_warning_puts_the_caret_at_its_line_and_typing_replaces_nothing(page, studio):
    text = SHORT.replace("**主持人李薇：**明年呢？", "**：**明年呢？")  # an empty label: a warning at its line
    _, ep = studio.json("POST", "/api/episodes", {"name": "caret", "text": text}, expect=201)
    page.goto(f"{studio.url}/episodes/{ep['id']}")
    page.wait_for_selector("[data-testid=warnings] button")
    before = page.input_value("[data-testid=editor]")
    line = int(page.get_attribute("[data-testid=warnings] button >> nth=0", "data-line"))
    page.click("[data-testid=warnings] button >> nth=0")
    assert editor_line(page) == line
    assert page.evaluate("() => { const e = document.getElementById('editor'); return e.selectionEnd - e.selectionStart; }") == 0
    page.keyboard.type("X")
    after = page.input_value("[data-testid=editor]")
    assert len(after) == len(before) + 1 and after.replace("X", "", 1) == before


LONG_NAME = ("《干部作风建设提升》专栏（第一期）访谈完整文字稿 终审定稿版本" * 2)[:46]  # 46 characters, 130+ bytes


def test_column_docx_upload(page, studio, column_path, tmp_path):
    """A Word file named as producers name them — 46 Chinese characters, brackets, a space — keeps its name."""
    from docx_maker import DELETED_TEXT, make_column_docx

    docx_path = make_column_docx(column_path, tmp_path / f"{LONG_NAME}.docx")
    assert len(LONG_NAME) == 46 and len(docx_path.name.encode()) > 120
    eid = open_upload(page, studio, docx_path)
    assert page.inner_text(".file-name") == docx_path.name
    assert page.inner_text("[data-testid=segments] b") == "3"
    assert page.inner_text("[data-testid=turns] b") == "32"
    assert DELETED_TEXT not in page.input_value("[data-testid=editor]")  # a tracked deletion is not read
    assert "deleted text not read" in page.inner_text("[data-testid=warnings]")
    page.click("[data-testid=render]")
    page.wait_for_selector("[data-testid=file-list]", state="attached")
    _, files = studio.json("GET", f"/api/episodes/{eid}/files")
    assert any(f["name"].endswith(".prompter.html") for f in files["files"])
    with page.expect_download() as info:
        page.click("[data-testid=zip]")
    assert info.value.suggested_filename == f"{LONG_NAME}.v1.zip"
    assert page.errors == []


SHORT = """《彩排》专栏

# 第一段 开场

**主持人李薇：**观众朋友们大家好，欢迎收看。

**开发区管委会副主任李大星：**谢谢主持人。今年我们的重点是招商引资。

# 第二段 展望

**主持人李薇：**明年呢？

**开发区管委会副主任李大星：**继续努力。
"""


def _request_rehearsal_audio(page, studio, ep) -> None:
    """Open the episode, choose the offline voices and ask for rehearsal audio."""
    page.goto(f"{studio.url}/episodes/{ep['id']}")
    page.wait_for_selector("[data-testid=segment]")
    page.click("[data-testid=tab-settings]")
    page.select_option("#opt-engine", "espeak")
    page.wait_for_function("() => document.getElementById('status').textContent === 'settings saved'")
    page.click("[data-testid=render-audio]")


def test_rehearsal_audio_progress_and_players(page, studio):
    _, ep = studio.json("POST", "/api/episodes", {"name": "rehearsal", "text": SHORT}, expect=201)
    _request_rehearsal_audio(page, studio, ep)
    page.wait_for_selector("[data-testid=audio-progress]")
    page.wait_for_selector("[data-testid=audio-list]", timeout=60_000)
    assert page.get_attribute("[data-testid=audio-progress]", "aria-valuenow") == "100"
    assert page.locator("[data-testid=audio-list] audio").count() == 3  # programme and two segments
    duration = page.evaluate("""() => new Promise((ok) => { const a = document.querySelector('[data-testid=audio-list] audio');
        a.preload = 'metadata'; a.addEventListener('loadedmetadata', () => ok(a.duration)); a.load(); })""")
    assert duration > 3
    page.click("[data-testid=tab-player]")
    assert "rehearsal audio" in page.inner_text("#player-source")
    assert page.errors == []


def test_unsaved_text_survives_closing_the_tab(page, studio):
    _, ep = studio.json("POST", "/api/episodes", {"name": "draft", "text": SHORT}, expect=201)
    url = f"{studio.url}/episodes/{ep['id']}"
    page.goto(url)
    page.wait_for_selector("[data-testid=segment]")
    page.locator("[data-testid=editor]").press("Control+End")
    page.keyboard.type("\n**主持人李薇：**还没保存的一句话。")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=turn]').length === 5")
    later = page.context.new_page()  # the tab was closed; the producer comes back
    page.close(run_before_unload=False)
    later.goto(url)
    later.wait_for_selector("[data-testid=draft]", state="visible")
    assert "还没保存" not in later.input_value("[data-testid=editor]")
    later.click("#draft-restore")
    assert "还没保存的一句话" in later.input_value("[data-testid=editor]")
    later.wait_for_function("() => document.querySelectorAll('[data-testid=turn]').length === 5")
    assert later.is_visible("[data-testid=dirty]")


def test_a_crashing_render_is_reported_on_its_page(page, studio):
    _, ep = studio.json("POST", "/api/episodes", {"name": "crash", "text": SHORT.replace("彩排", "CRASH-THIS-RENDER")},
                        expect=201)
    page.goto(f"{studio.url}/episodes/{ep['id']}")
    page.wait_for_selector("[data-testid=segment]")
    page.click("[data-testid=render]")
    page.wait_for_selector("[data-testid=error]", state="visible")
    assert "crashed" in page.inner_text("[data-testid=error]")
    assert page.inner_text("[data-testid=status]") == "render failed"
    assert not page.is_disabled("[data-testid=render]")  # try again is possible
    assert studio.request("GET", "/api/episodes")[0] == 200  # and the studio carries on


def test_audio_of_v1_then_text_of_v2_one_set_audio_stale(page, studio):
    _, ep = studio.json("POST", "/api/episodes", {"name": "coherent", "text": SHORT}, expect=201)
    _request_rehearsal_audio(page, studio, ep)
    page.wait_for_selector("[data-testid=audio-list]", timeout=60_000)
    page.locator("[data-testid=editor]").press("Control+End")
    page.keyboard.type("\n**主持人李薇：**第二版加的一句话。")
    page.click("[data-testid=render]")  # saves v2, renders its text only
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('rendered')")
    assert page.inner_text("[data-testid=version]") == "v2"
    page.click("[data-testid=tab-files]")
    assert "version 2" in page.inner_text("[data-testid=set-version]")
    names = page.locator("[data-testid=file-list] a[download]").all_inner_texts()
    assert names and not any(n.endswith(".mp3") for n in names)
    page.click("[data-testid=tab-audio]")
    assert "Stale" in page.inner_text("[data-testid=stale-audio]") and "version 1" in page.inner_text("[data-testid=stale-audio]")
    shot(page, "stale-audio")
    page.click("[data-testid=tab-player]")
    assert "no rehearsal audio" in page.inner_text("#player-source")
    with page.expect_download() as info:
        page.click("[data-testid=zip]")
    assert info.value.suggested_filename == "coherent.v2.zip"
    with zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read())) as zf:
        members = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist()}
    assert set(members) == set(names)
    assert "第二版加的一句话" in members["coherent.prompter.txt"].decode()
    assert page.errors == []


def test_rename_duplicate_delete_and_restore_episodes(page, studio):
    _, ep = studio.json("POST", "/api/episodes", {"name": "管理", "text": SHORT}, expect=201)
    studio.json("POST", f"/api/episodes/{ep['id']}/versions", {"text": SHORT + "\n补充。", "base": 1}, expect=200)
    page.goto(studio.url + "/")
    row = page.locator(f"tr[data-id='{ep['id']}']")
    page.once("dialog", lambda d: d.accept("《彩排》第二期 [定稿]"))
    row.locator("[data-testid=rename]").click()
    page.wait_for_function(f"() => document.querySelector(\"tr[data-id='{ep['id']}'] [data-testid=episode-name]\")"
                           ".textContent === '《彩排》第二期 [定稿].txt'")
    row.locator("[data-testid=duplicate]").click()
    page.wait_for_selector("text=《彩排》第二期 [定稿] (副本).txt")
    copy = next(e for e in studio.json("GET", "/api/episodes")[1]["episodes"] if e["name"].endswith("(副本).txt"))
    assert studio.json("GET", f"/api/episodes/{copy['id']}")[1]["text"].endswith("补充。")
    page.locator(f"tr[data-id='{ep['id']}'] [data-testid=delete]").click()
    page.wait_for_selector("[data-testid=trash-item]")
    assert ep["id"] not in {e["id"] for e in studio.json("GET", "/api/episodes")[1]["episodes"]}
    assert studio.request("GET", f"/episodes/{ep['id']}")[0] == 404
    shot(page, "episodes-trash")
    page.click("[data-testid=trash-item] [data-testid=restore]")
    page.wait_for_selector(f"tr[data-id='{ep['id']}']")
    _, back = studio.json("GET", f"/api/episodes/{ep['id']}", expect=200)
    assert back["version"] == 2 and back["name"] == "《彩排》第二期 [定稿].txt"  # every version, as it was
    assert page.errors == []


def test_preview_video_plays_from_files_and_the_player_shows_supers_and_cards(page, studio):
    _, ep = studio.json("POST", "/api/episodes", {"name": "preview", "text": SHORT}, expect=201)
    settings = {"options": {"video": True, "video_size": "640x360", "supers": "every", "cards": True}, "wait": True}
    studio.json("POST", f"/api/episodes/{ep['id']}/render", settings, expect=200)
    page.goto(f"{studio.url}/episodes/{ep['id']}")
    page.wait_for_selector("[data-testid=segment]")
    page.click("[data-testid=tab-files]")
    duration = page.evaluate("""() => new Promise((ok, no) => { const v = document.querySelector('[data-testid=file-video]');
        if (v.readyState >= 1) ok(v.duration); v.addEventListener('loadedmetadata', () => ok(v.duration));
        v.addEventListener('error', () => no('video error ' + (v.error && v.error.code))); })""")
    assert duration > 5
    page.evaluate("() => document.querySelector('[data-testid=file-video]').play()")
    page.wait_for_function("() => document.querySelector('[data-testid=file-video]').currentTime > 0.3")
    shot(page, "files-video")
    url = page.get_attribute("[data-testid=file-video]", "src")
    alone = page.context.new_page()  # opened on its own ("open" in Files): it plays there too
    alone.goto(studio.url + url)
    alone.wait_for_function("() => { const v = document.querySelector('video'); return v && v.readyState >= 1 && v.duration > 5; }")
    alone.close()
    page.click("[data-testid=tab-player]")  # the Player plays the preview video itself
    page.wait_for_selector("[data-testid=player-video]", state="visible")
    page.click("[data-testid=player-play]")
    page.wait_for_function("() => document.querySelector('[data-testid=player-video]').currentTime > 0.3")
    assert page.inner_text("#player-source") == "the preview video"
    page.click("[data-testid=player-play]")
    settings["options"]["video"] = False  # without a video, the Player draws the supers and cards itself
    studio.json("POST", f"/api/episodes/{ep['id']}/render", settings, expect=200)
    page.reload()
    page.wait_for_selector("[data-testid=segment]")
    page.click("[data-testid=tab-player]")
    assert page.is_hidden("[data-testid=player-video]")
    _, preview = studio.json("GET", f"/api/episodes/{ep['id']}/preview")
    card = next(s for s in preview["supers"] if s["card"])
    name = next(s for s in preview["supers"] if not s["card"])
    for item, box in ((card, "player-card"), (name, "player-super")):
        page.fill("#player-seek", str(round(1000 * (item["start"] + 200) / preview["total_ms"])))
        page.dispatch_event("#player-seek", "input")
        page.wait_for_selector(f"[data-testid={box}]", state="visible")
        assert page.inner_text(f"[data-testid={box}]").split("\n")[0] == item["lines"][0]
    assert "李薇" in name["lines"][0] or "李大星" in name["lines"][0]
    shot(page, "player-super")
    assert page.errors == []
