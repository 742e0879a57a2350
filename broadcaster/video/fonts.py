"""A font for the burned-in text, found through fontconfig or given as a file.

Chinese text needs a font with the hanzi (boxes instead of characters are a
defect): the search asks fontconfig for fonts covering Chinese, preferring
Noto Sans CJK in the script's regional forms; a `--font FILE` is checked for
Chinese coverage the same way. No such font is an error raised before
anything is encoded.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import OptionsError

INSTALL_HINT = "install one (Debian: apt-get install fonts-noto-cjk) or give {flag} FILE"


@dataclass(frozen=True)
class Font:
    family: str  # the name the ASS styles use
    path: Path  # the file libass loads (from its own folder)


def _faces(path: Path) -> list[tuple[str, set[str]]]:
    """(family, languages) of each face in a font file, by fc-query."""
    exe = shutil.which("fc-query")
    if exe is None:
        return []
    out = subprocess.run([exe, "-f", "%{family[0]}|%{lang}\\n", str(path)], capture_output=True, text=True,
                         check=False).stdout
    faces = []
    for line in out.splitlines():
        family, _, langs = line.partition("|")
        if family:
            faces.append((family, set(langs.split("|"))))
    return faces


def _covers_chinese(langs: set[str]) -> bool:
    return any(lang.startswith("zh") for lang in langs)


def _preference(family: str, script: str) -> tuple[int, str]:
    order = {"zh-Hans": ["CJK SC", "SC", "CN"], "zh-Hant": ["CJK TC", "CJK HK", "TC", "TW", "HK"],
             "zh-HK": ["CJK HK", "CJK TC", "HK", "TC"]}.get(script, [])
    for rank, mark in enumerate(order):
        if mark in family:
            return rank, family
    return (len(order) + (0 if "Sans" in family else 1)), family


def find_font(font_file: str | None = None, chinese: bool = True, script: str = "zh-Hans") -> Font:
    """The font to burn text in with. script: zh-Hans, zh-Hant or zh-HK (regional glyph forms)."""
    if font_file:
        path = Path(font_file)
        if not path.is_file():
            raise OptionsError(f"no such font file: {font_file}", option="font", value=font_file)
        faces = _faces(path)
        if shutil.which("fc-query") and not faces:
            raise OptionsError(f"not a font file fontconfig can read: {font_file}", option="font", value=font_file)
        if chinese and faces and not any(_covers_chinese(langs) for _, langs in faces):
            raise OptionsError(f"{font_file} has no Chinese characters; the subtitles would show boxes",
                               option="font", value=font_file)
        usable = [f for f, langs in faces if not chinese or _covers_chinese(langs)]
        family = min(usable, key=lambda f: _preference(f, script)) if usable else path.stem
        return Font(family, path)
    exe = shutil.which("fc-list")
    if exe is None:
        raise OptionsError(f"no fontconfig (fc-list) to find a font for the preview video; {INSTALL_HINT}",
                           option="font")
    pattern = ":lang=zh" if chinese else ":"
    out = subprocess.run([exe, pattern, "family", "file"], capture_output=True, text=True, check=False).stdout
    found: list[tuple[str, Path]] = []
    for line in out.splitlines():
        file, _, families = line.partition(": ")
        for family in families.split(","):
            if family.strip() and Path(file).suffix.lower() in (".ttf", ".otf", ".ttc", ".otc"):
                found.append((family.strip(), Path(file)))
    if not found:
        what = "with Chinese characters" if chinese else "at all"
        raise OptionsError(f"no font {what} found for the preview video (the hanzi would show as boxes); "
                           f"{INSTALL_HINT}", option="font")
    regular = [f for f in found if "Bold" not in f[1].name and "Mono" not in f[0]] or found
    family, path = min(regular, key=lambda f: (_preference(f[0], script), str(f[1])))
    return Font(family, path)
