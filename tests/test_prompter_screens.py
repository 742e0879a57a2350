"""The prompter page on a phone, a tablet (portrait and landscape) and a monitor, driven by touch.

Screenshots go to tests/artifacts/ for a person to judge; the checks are what a host would notice:
a button label broken over two lines, clocks pushed off the screen, text smaller than on the monitor,
controls left over the text while it scrolls, a tap or a drag that does nothing.
"""
from pathlib import Path

import pytest

from broadcaster.cli import main
from conftest import COLUMN, EXAMPLE

ARTIFACTS = Path(__file__).parent / "artifacts"
SCREENS = {"phone": (390, 844), "tablet": (768, 1024), "landscape": (1024, 768), "monitor": (1920, 1080)}

# Every visible text node in the bar sits on one line (a wrapped label has two or more line boxes).
WRAPPED = """(root) => {
  const out = [];
  const walker = document.createTreeWalker(document.getElementById(root || 'bar'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || !n.parentElement.getClientRects().length) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
    const lh = parseFloat(getComputedStyle(n.parentElement).fontSize) * 1.5;
    const lines = new Set(rects.map((r) => Math.round(r.top))).size;  // an ellipsis may add a rect on the same line
    if (lines !== 1 || rects.some((r) => r.height > lh)) out.push([n.textContent, lines, rects.map((r) => r.height)]);
  }
  return out; }"""
# Visible controls and clocks that stick out of the screen.
OFF_SCREEN = """() => Array.from(document.querySelectorAll('#bar button, #speed, #clocks b'))
  .filter((el) => el.getClientRects().length)
  .filter((el) => { const r = el.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth + 0.5 || r.top < 0; })
  .map((el) => el.id || el.textContent)"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("screens")
    html = {}
    for name, src, extra in (("example", EXAMPLE, ["--audio", "--engine", "espeak", "--audio-format", "wav"]),
                             ("column", COLUMN if COLUMN.exists() else EXAMPLE, [])):
        assert main(["render", str(src), "-o", str(out / name), "--quiet", *extra]) == 0
        html[name] = out / name / src.stem / f"{src.stem}.prompter.html"
    return html


def _open(browser, path, size, touch=False, query="?countdown=0"):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, has_touch=touch)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(path.as_uri() + query)
    page.wait_for_function("window.prompter !== undefined")
    return context, page


def _visible(page, selector):
    return page.evaluate(f"document.querySelector({selector!r}).getClientRects().length > 0")


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_screen_keeps_labels_on_one_line_clocks_visible_and_text_large(chromium, pages, screen):
    size = SCREENS[screen]
    context, page = _open(chromium, pages["example"], size, touch=screen != "monitor")
    assert page.evaluate(WRAPPED) == []
    assert page.evaluate(OFF_SCREEN) == []
    for clock in ("#elapsed", "#remaining", "#segname"):
        assert _visible(page, clock), clock
    assert page.evaluate("document.getElementById('bar').scrollWidth <= innerWidth")
    # the text is at least as large, relative to the screen, as 64 px on the 1920x1080 monitor
    font = page.evaluate("parseFloat(getComputedStyle(document.getElementById('script')).fontSize)")
    assert font / size[1] >= 64 / 1080 - 0.001 and font / size[0] >= 64 / 1920 - 0.001, font
    # the reading line is below the bar, in the upper part of the screen
    bar = page.evaluate("document.getElementById('bar').getBoundingClientRect().bottom")
    line = page.evaluate("document.getElementById('readline').getBoundingClientRect().top")
    assert bar + 40 < line < size[1] * 0.45
    # the menu (where the screen is too narrow for every button) opens with its labels on one line
    if _visible(page, "#menubtn"):
        assert not _visible(page, "#mirror")
        page.click("#menubtn")
        assert _visible(page, "#mirror") and _visible(page, "#rehearse")
        assert page.evaluate(WRAPPED) == [] and page.evaluate(OFF_SCREEN) == []
        page.click("#mirror")
        assert page.get_attribute("#mirror", "aria-pressed") == "true" and not _visible(page, "#more")
        page.keyboard.press("m")
    else:
        assert screen == "monitor" and _visible(page, "#rehearse")
    assert page.errors == []
    context.close()


def test_screenshots_at_phone_tablet_and_monitor_sizes(chromium, pages):
    ARTIFACTS.mkdir(exist_ok=True)
    for screen, size in SCREENS.items():
        context, page = _open(chromium, pages["column"], size, touch=screen != "monitor")
        page.keyboard.press("PageDown")
        page.evaluate("window.prompter.pos += 2 * parseFloat(getComputedStyle(document.getElementById('script')).fontSize)")
        page.wait_for_timeout(150)
        page.screenshot(path=str(ARTIFACTS / f"prompter-{screen}.png"))
        if screen == "tablet":
            page.click("#menubtn")
            page.screenshot(path=str(ARTIFACTS / "prompter-tablet-menu.png"))
        assert page.errors == []
        context.close()


def test_controls_hide_while_scrolling_and_return_on_a_mouse_move(chromium, pages):
    context, page = _open(chromium, pages["example"], SCREENS["landscape"])
    page.keyboard.press("Space")
    page.wait_for_timeout(2900)
    assert not _visible(page, "#controls") and _visible(page, "#elapsed") and _visible(page, "#remaining")
    page.screenshot(path=str(ARTIFACTS / "prompter-landscape-scrolling.png"))
    page.mouse.move(500, 500)
    page.mouse.move(520, 540)
    assert _visible(page, "#play") and page.evaluate("window.prompter.playing")
    page.evaluate("document.body.classList.add('idle')")
    page.click("#clocks")  # a tap on the clocks, too, and the scroll goes on
    assert _visible(page, "#play") and page.evaluate("window.prompter.playing")
    page.keyboard.press("Space")
    page.wait_for_timeout(100)
    assert _visible(page, "#controls")
    context.close()


def _touch(cdp, kind, *points):
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})


def test_touch_tap_pauses_drag_moves_and_pinch_sizes(chromium, pages):
    context, page = _open(chromium, pages["example"], SCREENS["tablet"], touch=True)
    cdp = context.new_cdp_session(page)
    page.touchscreen.tap(384, 600)  # a tap starts the scroll
    page.wait_for_timeout(400)
    assert page.evaluate("window.prompter.playing") is True
    awake = page.evaluate("'wakeLock' in navigator")
    if awake:  # Screen Wake Lock where the browser has it
        assert page.evaluate("window.prompter.awake") is True
    page.touchscreen.tap(384, 600)  # a tap pauses it
    page.wait_for_timeout(100)
    assert page.evaluate("window.prompter.playing") is False and _visible(page, "#controls")
    if awake:
        assert page.evaluate("window.prompter.awake") is False
    # a drag upwards moves the text with the finger
    before = page.evaluate("window.prompter.pos")
    _touch(cdp, "touchStart", (384, 800))
    for y in range(760, 480, -40):
        _touch(cdp, "touchMove", (384, y))
    _touch(cdp, "touchEnd")
    page.wait_for_timeout(50)
    moved = page.evaluate("window.prompter.pos") - before
    assert 270 < moved < 290, moved  # the finger went from 800 to 520
    assert page.evaluate("window.prompter.playing") is False  # a drag is not a tap
    # while scrolling, a drag moves the text and the scroll goes on from where the finger left it
    page.touchscreen.tap(384, 600)
    page.wait_for_timeout(300)
    start = page.evaluate("window.prompter.pos")
    _touch(cdp, "touchStart", (384, 500))
    for y in range(540, 740, 40):
        _touch(cdp, "touchMove", (384, y))
    page.wait_for_timeout(100)  # pointer moves are delivered with the next frame
    held = page.evaluate("window.prompter.pos")
    page.wait_for_timeout(300)
    assert page.evaluate("window.prompter.pos") == held  # the text stays under the finger
    _touch(cdp, "touchEnd")
    assert held < start - 150
    page.wait_for_timeout(500)
    assert held < page.evaluate("window.prompter.pos") < held + 150
    assert page.evaluate("window.prompter.playing") is True
    page.touchscreen.tap(384, 600)
    # two fingers spread apart: larger text, the same words on the reading line
    font = page.evaluate("window.prompter.font")
    under = "document.querySelector('.turn.current') && Array.from(document.querySelectorAll('.turn')).indexOf(document.querySelector('.turn.current'))"
    turn = page.evaluate(under)
    _touch(cdp, "touchStart", (384, 500), (384, 560))
    for d in range(40, 121, 20):
        _touch(cdp, "touchMove", (384, 500 - d), (384, 560 + d))
    _touch(cdp, "touchEnd")
    page.wait_for_timeout(100)
    assert page.evaluate("window.prompter.font") > font * 2.5
    assert page.evaluate(under) == turn and page.evaluate("window.prompter.playing") is False
    assert page.errors == []
    context.close()
