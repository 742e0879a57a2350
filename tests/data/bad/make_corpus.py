"""The bad-input corpus: what producers' word processors (and attackers) hand us.

Run `python tests/data/bad/make_corpus.py` to rewrite the small files here
(they are committed, so a change shows in review). The two big inputs (a 1 MB
turn, 10,000 turns) are made at test time by `make_big()`, never committed.
Each file's expected outcome is in EXPECTED.toml.
"""
from __future__ import annotations

import codecs
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOOD = "《测试专栏》\n\n# 第一段\n\n记者 白雪松 李薇\n\n**主持人李薇：**观众朋友们大家好，今天是2022年。\n\n**嘉宾张三：**谢谢主持人！\n"
TRAD = "《測試專欄》\n\n# 第一段\n\n**主持人李薇：**觀眾朋友們大家好，今天是2022年。\n\n**嘉賓張三：**謝謝主持人！\n"
HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


def small_files() -> dict[str, bytes]:
    rng = random.Random(6)
    files = {
        "empty.txt": b"",
        "whitespace_only.txt": b"   \n\t\t\n\r\n \xe3\x80\x80 \n\n",
        "bom_only.txt": codecs.BOM_UTF8,
        # a PNG header then noise: what a mis-saved attachment looks like
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(3000)),
        "truncated_utf8.txt": utf8(GOOD)[:-2],
        "truncated_mid_file.txt": utf8(GOOD)[:42] + utf8("\n**嘉宾张三：**后面还有话。\n"),
        "mixed_utf8_gb18030.txt": utf8("《混合编码》\n\n**主持人李薇：**这一行是UTF-8。\n\n")
        + "**嘉宾张三：**这一行是国标码。\n\n".encode("gb18030")
        + utf8("**主持人李薇：**又回到UTF-8了。\n"),
        "invalid_utf8_bytes.txt": utf8("**主持人李薇：**前面好好的") + b"\xff\xfe\xc0\xaf\xed\xa0\x80" + utf8("后面也好好的。\n"),
        "labels_no_text.txt": utf8("# 第一段\n\n**主持人李薇：**\n\n**嘉宾张三：**   \n\n**主持人李薇：**终于有话说了。\n\n**嘉宾张三：**\n"),
        "text_before_label.txt": utf8("# 第一段\n\n没有标签的开场白，谁来读？\n\n**主持人李薇：**我来读后面的。\n\n# 第二段\n\n**嘉宾张三：**我先说。\n\n段落中间突然没有标签的一句话。\n"),
        "headings_only.txt": utf8("# 第一段\n\n## 小节一\n\n### 小节二\n\n# 第二段\n"),
        "unknown_heading_levels.txt": utf8("####### 七级标题\n\n**主持人李薇：**七级标题下的话。\n\n########## 十级标题\n\n**嘉宾张三：**十级标题下的话。\n\n#没有空格的标题\n\n**主持人李薇：**结束。\n"),
        "emoji_zwj.txt": utf8("# 表情👨‍👩‍👧‍👦段\n\n**主持人李薇：**大家好👋🏽，这是一家人👨‍👩‍👧‍👦，还有国旗🇨🇳🇺🇸和肤色👍🏿。"
                              "一二三四五六七八九十👩🏽‍💻一二三四五六七八九十。\n\n**嘉宾张三：**🎉🎉🎉\n"),
        "rtl_marks.txt": utf8("# 从右到左\n\n**主持人李薇：**\u200f阿拉伯语\u200e：مرحبا بالعالم，希伯来语：שלום עולם。\n\n"
                              "**嘉宾张三：**\u202e反转覆盖\u202c后的文字，\u2066隔离\u2069也在。\n"),
        "control_characters.txt": utf8("# 控制字符\n\n**主持人李薇：**响铃\x07退格\x08换页\x0c垂直\x0b转义\x1b[31m红色\x1b[0m。\n\n"
                                       "**嘉宾张三：**删除\x7f和C1\u0085\u009b字符。\n"),
        "line_separators.txt": utf8("# 分隔符\n\n**主持人李薇：**第一句。\u2028第二句没有换行符\u2028而是行分隔符。\u2029**嘉宾张三：**段落分隔符后的嘉宾。\n"),
        "nul_bytes.txt": utf8("# 空字节\n\n**主持人李薇：**这里\x00有一个空字节，\x00那里也有。\n\n**嘉宾\x00张三：**标签里也有。\n"),
        "long_label_5000.txt": utf8("# 长标签\n\n**" + "".join(rng.choice(HANZI) for _ in range(4998)) + "主任：**标签太长了。\n\n"
                                    "**主持人李薇：**正常的话。\n"),
        "long_plain_label.txt": utf8("# 长标签\n\n" + "".join(rng.choice(HANZI) for _ in range(5000)) + "：标签太长了。\n"),
        "hostile_markup.txt": utf8("# <script>alert('标题')</script>\n\n"
                                   "**主持人<b>李薇</b>：**<script>alert(1)</script>大家好<img src=x onerror=alert(2)>。\n\n"
                                   "**嘉宾{{ 7*7 }}：**{{ config.items() }}{% for x in range(10**9) %}循环{% endfor %}${HOME}`rm -rf /`。\n\n"
                                   "**主持人李薇：**{# 注释 #}<!-- 注释 -->&lt;转义&gt;&amp;结束。\n"),
        "template_in_title.txt": utf8("{{ self.__init__.__globals__ }}\n\n# {% raw %}段落{% endraw %}\n\n**主持人李薇：**{{ title }}不是变量。\n"),
        "title_dotdot.txt": utf8("../../x\n\n# ../../x\n\n**主持人李薇：**标题想跳出目录。\n\n# ../../../../../../tmp/evil\n\n**嘉宾张三：**第二段也想。\n"),
        "title_reserved.txt": utf8("CON\n\n# CON\n\n**主持人李薇：**保留名一。\n\n# NUL.txt\n\n**嘉宾张三：**保留名二。\n\n# com1\n\n**主持人李薇：**保留名三。\n\n# .\n\n**嘉宾张三：**只有一个点。\n\n# ..\n\n**主持人李薇：**两个点。\n"),
        "names_with_slashes.txt": utf8("《A/B\\C》\n\n# 上半场/下半场\\加时\n\n**主持人李/薇：**斜杠名字。\n\n**嘉宾张\\三：**反斜杠名字。\n\n# a:b*c?d\"e<f>g|h\n\n**主持人李/薇：**Windows不允许的字符。\n"),
        "same_titles.txt": utf8("# 同名\n\n**主持人李薇：**第一段。\n\n# 同名\n\n**嘉宾张三：**第二段同名。\n\n# 同名\n\n**主持人李薇：**第三段还同名。\n"),
        "long_title.txt": utf8("# " + "很长的标题" * 400 + "\n\n**主持人李薇：**标题有两千字。\n"),
        "gb18030.txt": GOOD.encode("gb18030") + "**主持人李薇：**生僻字𠀀𪚥和欧元€。\n".encode("gb18030"),
        "gbk_no_title.txt": "**主持人李薇：**没有标题的国标文件，第二句在这里。\n\n**嘉宾张三：**好的。\n".encode("gbk"),
        "utf16le_bom.txt": codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"),
        "utf16be_no_bom.txt": GOOD.encode("utf-16-be"),
        "utf32_bom.txt": GOOD.encode("utf-32"),
        "big5.txt": TRAD.encode("big5"),
        "cp1252_english.txt": "# Café talk\n\nJOHN SMITH, HOST: It’s a naïve café — “quoted” façade.\n\nSMITH: Déjà vu, résumé.\n".encode("cp1252"),
        "only_punctuation.txt": utf8("# 标点\n\n**主持人李薇：**。。。！！？？……——，，、、\n\n**嘉宾张三：**“”‘’（）《》\n"),
        "directions_only.txt": utf8("# 只有舞台提示\n\n**主持人李薇：**（掌声）[笑声]\n\n**嘉宾张三：**[音乐起]\n"),
        "unbalanced_markdown.txt": utf8("# 标记\n\n**主持人李薇：没有关闭的粗体\n\n**嘉宾**张三**：**多余的星号\n\n*\n\n**\n\n****\n\n[链接文本](\n\n![](空)\n\n[[[[[]]]]]\n"),
        "combining_marks.txt": utf8("# 组合符\n\n**主持人李薇：**Z\u0351\u0352\u0353a\u0300\u0301\u0302\u0303l\u0304\u0305g\u0306\u0307o\u0308\u0309文\u0300字\u0301" + "e\u0301" * 40 + "。\n"),
        "zero_width_only.txt": utf8("\u200b\u200c\u200d\ufeff\n\n\u200b\n\u2060\u2060\n"),
        "mixed_line_endings.txt": utf8("# 换行\r\n\r\n**主持人李薇：**Windows换行。\r**嘉宾张三：**老Mac换行。\n\n**主持人李薇：**Unix换行。\r\n"),
        "huge_numbers.txt": utf8("# 数字\n\n**主持人李薇：**" + "9" * 400 + "元，" + "1," * 200 + "000，３０％，١٢٣，1e308，-0.000001%，99999999999999999年。\n"),
        "surrogate_escapes.txt": utf8("# 代理\n\n**主持人李薇：**") + b"\xed\xa0\xbd\xed\xb8\x80" + utf8("孤立的代理对。\n"),
        "tabs_and_nbsp.txt": utf8("#\t标题\t\n\n**主持人李薇：**\t制表符\u00a0不换行空格\u3000全角空格\u2003em空格。\n"),
        "not_episode.json": utf8(json.dumps({"title": "不是节目", "items": [1, 2, 3]}, ensure_ascii=False)),
        "json_array.json": b"[1, 2, 3]\n",
        "json_syntax_error.json": utf8('{"format": "broadcaster.episode/1",\n "title": "坏的",\n "segments": [\n'),
        "json_wrong_types.json": utf8(json.dumps({"format": "broadcaster.episode/1", "title": "类型错", "source": "x.txt",
                                                  "language": "zh", "speakers": "不是列表", "segments": 5}, ensure_ascii=False)),
        "json_gb18030.json": json.dumps({"format": "broadcaster.episode/1", "title": "编码"}, ensure_ascii=False).encode("gb18030"),
        "json_hostile.json": utf8(json.dumps(_hostile_episode(), ensure_ascii=False, indent=1)),
        "json_unknown_speaker.json": utf8(json.dumps(_unknown_speaker_episode(), ensure_ascii=False, indent=1)),
        "json_bad_role.json": utf8(json.dumps(_with_speaker(role="villain"), ensure_ascii=False, indent=1)),
        "json_title_not_text.json": utf8(json.dumps(dict(_hostile_episode(), title={"a": 1}), ensure_ascii=False)),
        "json_srt_injection.json": utf8(json.dumps(_with_span("你好。\n\n99\n00:00:00,000 --> 00:00:09,000\n注入的字幕"),
                                                   ensure_ascii=False)),
        "json_huge_int.json": utf8('{"format": "broadcaster.episode/1", "title_line": ' + "9" * 5000 + "}"),
    }
    return files


def _hostile_episode() -> dict:
    turn = {"speaker": "主持人李薇", "line": 3, "language": "zh",
            "paragraphs": [{"line": 3, "spans": [{"kind": "speech", "text": "{{ 7*7 }}<script>alert(1)</script>大家好。"}]}]}
    return {
        "format": "broadcaster.episode/1", "title": "../../../tmp/owned", "source": "../../../../tmp/owned.txt",
        "language": "zh", "title_line": 1, "notes": [], "diagnostics": [],
        "speakers": [{"key": "主持人李薇", "name": "李薇/../..", "role": "host", "title": "主持人", "line": 3}],
        "segments": [{"title": "../../seg", "line": 2, "section": "", "level": 1, "credits": [], "turns": [turn]},
                     {"title": "/etc/passwd", "line": 4, "section": "", "level": 1, "credits": [], "turns": [turn]}],
    }


def _unknown_speaker_episode() -> dict:
    ep = _hostile_episode()
    ep["source"] = "unknown_speaker.txt"
    ep["segments"][0]["turns"][0] = dict(ep["segments"][0]["turns"][0], speaker="没有这个人")
    return ep


def _with_speaker(**changes) -> dict:
    ep = _hostile_episode()
    ep["speakers"][0].update(changes)
    return ep


def _with_span(text: str) -> dict:
    ep = _hostile_episode()
    ep["segments"][0]["turns"][0]["paragraphs"][0]["spans"][0]["text"] = text
    return ep


def make_big(name: str, folder: Path) -> Path:
    """The generated inputs (too big to commit), written into folder."""
    rng = random.Random(6)
    path = folder / name
    if name == "huge_turn_1mb.txt":
        body = "".join(rng.choice(HANZI) for _ in range(1_000_000 // 3))
        path.write_text(f"# 一口气\n\n**主持人李薇：**{body}\n", encoding="utf-8")
    elif name == "ten_thousand_turns.txt":
        lines = ["# 一万句", ""]
        for i in range(10_000):
            lines += [f"**{'主持人李薇' if i % 2 else '嘉宾张三'}：**{HANZI[i % len(HANZI)]}", ""]
        path.write_text("\n".join(lines), encoding="utf-8")
    elif name == "huge_english_line.txt":
        words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
        body = " ".join(rng.choice(words) for _ in range(150_000))
        path.write_text(f"HOST: {body}\n", encoding="utf-8")
    elif name == "json_deep_nesting.json":
        path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    else:
        raise KeyError(name)
    return path


BIG = ("huge_turn_1mb.txt", "ten_thousand_turns.txt", "huge_english_line.txt", "json_deep_nesting.json")


if __name__ == "__main__":
    for fname, data in small_files().items():
        (HERE / fname).write_bytes(data)
    print(f"wrote {len(small_files())} files to {HERE}", file=sys.stderr)
