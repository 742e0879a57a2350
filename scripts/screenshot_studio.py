"""The README's screenshot of the studio: the column transcript uploaded, rendered, a warning clicked.

    .venv/bin/python scripts/screenshot_studio.py [docs/studio.png]

Starts its own `broadcaster serve` on a free loopback port with a temporary data folder,
drives Chromium, and writes a palette-compressed PNG (with Pillow when installed).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from studio_server import Studio  # noqa: E402

COLUMN = ROOT.parent / "shared" / "transcripts" / "000_acc2b6e70409d00d.txt"


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "studio.png")
    source = COLUMN if COLUMN.exists() else ROOT / "examples" / "column_demo.txt"
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio(Path(tmp) / "data", env={"BROADCASTER_CACHE": str(Path(tmp) / "cache")})
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
                page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
                page.goto(studio.url + "/")
                page.set_input_files("[data-testid=file-input]", str(source))
                page.wait_for_url("**/episodes/*")
                page.wait_for_selector("[data-testid=segment]")
                page.click("[data-testid=render]")
                page.wait_for_selector("[data-testid=file-list]", state="attached")
                page.click("[data-testid=warnings] li:nth-child(2) button")
                page.mouse.move(0, 0)
                page.wait_for_timeout(300)
                page.screenshot(path=str(out))
                browser.close()
        finally:
            studio.stop()
    try:
        from PIL import Image

        Image.open(out).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
    except ImportError:
        pass
    print(f"{out}: {out.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
