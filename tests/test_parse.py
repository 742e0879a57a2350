"""The parser on the column transcript, the corpus, and each rule of the format."""
import re

import pytest

from broadcaster.read import parse_file, parse_text
from conftest import CORPUS, need_shared

HANZI = re.compile(r"[\u4e00-\u9fff]")


def test_column_transcript_structure(column_path):
    ep = parse_file(column_path)
    assert ep.title == "《干部作风建设提升》专栏"
    assert len(ep.segments) == 3
    assert [s.title for s in ep.segments] == [
        "深化体制机制改革 全面激发开发区发展能级",
        "强化责任落实机制 以正确用人导向引领干事创业导向",
        "起步即冲刺 开局即决战",
    ]
    first = ep.segments[0]
    assert [(c.role, c.names) for c in first.credits] == [("记者", ("白雪松", "李薇")), ("通讯员", ("张志伟",))]
    people = {(s.name, s.role, s.title) for s in ep.speakers}
    assert people == {
        ("李薇", "host", "主持人"), ("石群", "host", "主持人"), ("王坤", "host", "主持人"),
        ("李大星", "guest", "枣庄经济开发区管委会副主任"),
        ("高焕勤", "guest", "文化路街道党委书记"),
        ("孔强", "guest", "塔塔埠街道党委书记"),
    }
    assert [len(s.turns) for s in ep.segments] == [7, 12, 13]


def test_column_page_breaks_are_joined_without_a_break(column_path):
    ep = parse_file(column_path)
    turn = ep.segments[0].turns[3]
    assert "非常清晰的主导产业格局" in turn.paragraphs[0].speech
    # a paragraph that ended its sentence starts a new paragraph of the same turn
    assert len(turn.paragraphs) == 2
    assert turn.paragraphs[1].speech.startswith("持续抓紧对接")
    joins = [d for d in ep.diagnostics if "page break" in d.message]
    assert [d.line for d in joins] == [19, 23, 45, 86, 98]


def test_column_two_turns_by_the_same_guest_stay_two(column_path):
    ep = parse_file(column_path)
    turns = ep.segments[0].turns
    assert turns[5].speaker == turns[6].speaker == "枣庄经济开发区管委会副主任李大星"


def test_column_no_spoken_character_lost(column_path):
    """Every hanzi of every turn line appears in the model's speech, in order."""
    raw = column_path.read_text(encoding="utf-8").splitlines()
    expected = []
    for line in raw:
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("记者") or line.startswith("《"):
            continue
        line = re.sub(r"^\*\*[^*]+\*\*", "", line)
        expected.append("".join(HANZI.findall(line)))
    ep = parse_file(column_path)
    assert "".join(HANZI.findall(ep.speech)) == "".join(expected)


@pytest.mark.parametrize("name", ["zh_xwlb_20260111.md", "en_npr_planet_money_132742511_raw_excerpt.txt",
                                  "en_changelog_friends_19_excerpt.md"])
def test_corpus_file_parses_with_speech(name):
    ep = parse_file(need_shared(CORPUS / name))
    assert ep.segments and ep.speech


def test_news_programme_without_speakers_is_narrated_and_colon_lines_are_not_labels():
    ep = parse_file(need_shared(CORPUS / "zh_xwlb_20260111.md"))
    assert ep.title == "《新闻联播》 (20260111)"
    assert [s.role for s in ep.speakers] == ["narrator"]
    assert any("no speaker labels" in d.message for d in ep.diagnostics)
    # `7.【新闻特写】秦岭站：` then a blank line: joined, not a speaker
    assert "秦岭站：崛起于冰原之上的现代考察站" in ep.speech
    assert "<p>" not in ep.speech and "&nbsp;" not in ep.speech
    assert "https://" not in ep.speech  # links are shown, not read
    assert ep.segments[1].section == "详细新闻"


def test_radio_transcript_labels_glued_to_sentences():
    ep = parse_file(need_shared(CORPUS / "en_npr_planet_money_132742511_raw_excerpt.txt"))
    names = {s.name: s.role for s in ep.speakers}
    assert names["Jacob Goldstein"] == "host" and names["Adam Davidson"] == "host"
    assert "Goldstein" not in names  # GOLDSTEIN: is the same person
    first = ep.segments[0].turns[0]
    assert first.speech.endswith("But we got a long way.")
    assert "(SOUNDBITE OF SONG, \"WINDS OF CHANGE\")" in first.paragraphs[-1].directions
    assert "SOUNDBITE" not in ep.speech and "(Singing)" not in ep.speech


def test_podcast_bold_labels_timestamps_and_laughs():
    ep = parse_file(need_shared(CORPUS / "en_changelog_friends_19_excerpt.md"))
    assert {s.name for s in ep.speakers} >= {"Jerod Santo", "Adam Stacoviak", "Jared Henderson"}
    assert "[laughs]" not in ep.speech and "\\[" not in ep.speech
    assert not re.search(r"\[\d\d:\d\d\]", ep.speech)
    directions = [d for s in ep.segments for t in s.turns for p in t.paragraphs for d in p.directions]
    assert "[laughs]" in directions
    assert any(d.startswith("[unintelligible") for d in directions)


@pytest.mark.parametrize("line", ["**主持人李薇：**你好。", "**主持人李薇:**你好。", "**主持人李薇**：你好。",
                                  "**主持人李薇**:你好。", "主持人李薇：你好。"])
def test_label_forms(line):
    ep = parse_text(f"# 段落\n\n{line}\n")
    sp = ep.speakers[0]
    assert (sp.name, sp.role) == ("李薇", "host")
    assert ep.segments[0].turns[0].speech == "你好。"


def test_guest_label_without_title_word_guesses_the_name_and_says_so():
    ep = parse_text("**某某公司王小明：**大家好。\n\n**某某公司王小明：**再见。\n")
    sp = ep.speakers[0]
    assert (sp.title, sp.name) == ("某某公司", "王小明")
    assert any("guessed the name" in d.message for d in ep.diagnostics)


def test_text_before_any_label_is_narrated_with_a_warning():
    ep = parse_text("# 一\n\n开场白。\n\n**主持人李薇：**你好。\n\n# 二\n\n画外解说。\n")
    assert ep.segments[0].turns[0].speaker == "旁白"
    assert any("before any speaker label" in d.message for d in ep.diagnostics)


def test_label_with_no_text_then_paragraph_below():
    ep = parse_text("**主持人李薇：**\n\n你好，欢迎。\n\n**嘉宾张三：**\n**嘉宾李四：**谢谢。\n")
    turns = ep.segments[0].turns
    assert turns[0].speech == "你好，欢迎。"
    assert [t.speaker for t in turns] == ["主持人李薇", "嘉宾李四"]
    assert any("has no text" in d.message for d in ep.diagnostics)


def test_every_element_keeps_its_source_line(column_path):
    ep = parse_file(column_path)
    lines = column_path.read_text(encoding="utf-8").splitlines()
    for seg in ep.segments:
        assert lines[seg.line - 1].lstrip("#").strip() == seg.title
        for turn in seg.turns:
            assert lines[turn.line - 1].startswith("**")
            for p in turn.paragraphs:
                assert p.speech[:6] in lines[p.line - 1]


def test_chinese_numbered_items_after_an_unfinished_sentence_stay_paragraphs_of_their_own():
    # Word's automatic numbers (一、 （二） 甲. ①) open a list item: never the rest of a page-break split
    from broadcaster.read import parse_text

    ep = parse_text("《测试》\n\n# 一段\n\n**主持人李薇：**我们要做到三点\n\n一、加强作风建设\n\n（二）提升服务水平\n\n甲.第三\n\n①第四\n")
    texts = [p.spans[0].text for p in ep.segments[0].turns[0].paragraphs]
    assert texts == ["我们要做到三点", "一、加强作风建设", "（二）提升服务水平", "甲.第三", "①第四"]
