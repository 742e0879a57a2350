"""The prompter page wraps the host's text between words, as a reader would (issue 23), in Chromium.

Screenshots of the column's first turn at phone, tablet and monitor widths go to BROADCASTER_SCREENSHOTS
when it names a folder (for a person to look at); the check is on the lines Chromium laid out.
"""
import pytest

from broadcaster.cli import main
from browser import shot
from conftest import COLUMN, need_shared

# The text of each laid-out line of an element: characters grouped by the top of their box.
LINES = """(sel) => {
  const p = document.querySelector(sel), lines = [];
  const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let top = null;
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    for (let i = 0; i < n.textContent.length; i++) {
      const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
      const box = r.getClientRects()[0]; if (!box) continue;
      if (top === null || Math.abs(box.top - top) > box.height / 2) { lines.push(""); top = box.top; }
      lines[lines.length - 1] += n.textContent[i];
    }
  }
  return lines; }"""


@pytest.fixture(scope="module")
def column_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("wrap")
    assert main(["render", str(need_shared(COLUMN)), "-o", str(out), "--quiet"]) == 0
    return out / COLUMN.stem / f"{COLUMN.stem}.prompter.html"


@pytest.mark.parametrize("size", [(390, 844), (768, 1024), (1920, 1080)], ids=lambda s: f"{s[0]}px")
def test_lines_wrap_between_words(chromium, column_page, size):  # noqa: F811
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(column_page.as_uri() + "?countdown=0")
    page.wait_for_function("window.prompter !== undefined")
    lines = page.evaluate(LINES, ".turn p")
    shot(page, f"wrap-{size[0]}")
    context.close()
    assert "".join(lines).startswith("观众朋友们大家好，今天的《干部作风建设提升》专访")
    if size[0] < 1000:
        assert len(lines) > 3  # it did wrap
    for before, after in zip(lines, lines[1:], strict=False):
        for word in ("今天", "提升", "大家", "朋友", "开发区", "管委会", "副主任"):
            for k in range(1, len(word)):
                assert not (before.endswith(word[:k]) and after.startswith(word[k:])), (word, before, after)
        assert not after.startswith(("的", "了", "们")), (before, after)


def test_the_page_grows_by_less_than_fifteen_percent(column_page):
    html = column_page.read_text(encoding="utf-8")
    marks = html.count("<wbr>")
    assert marks > 500
    assert len(html.encode()) <= 1.15 * (len(html.encode()) - 5 * marks)
