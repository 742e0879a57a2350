"""Subtitle breaks where a subtitler would put them (issue 23), read back from the files a user gets."""
from pathlib import Path

import pysrt

from broadcaster.cli import main
from broadcaster.read import parse_text
from broadcaster.subtitles import PROFILES, build_track
from broadcaster.subtitles.breaks import split_clause
from broadcaster.timing import estimate
from test_segment_properties import check_track

ZH = PROFILES["zh-Hans"]


def _cues(text: str, profile=ZH, label="主持人李薇：") -> list[str]:
    episode = parse_text(f"《测试》专栏\n\n# 一\n\n**{label}**{text}\n")
    track = build_track(estimate(episode), profile)
    check_track(episode, track)  # every norm and every character kept
    return [c.text for c in track.cues]


def test_the_column_srt_starts_no_cue_with_a_particle_and_ends_none_on_a_preposition(column_path, out_dir):
    assert main(["render", str(column_path), "-o", str(out_dir), "--quiet"]) == 0
    srts = sorted((out_dir / column_path.stem).glob("*.srt"))
    assert len(srts) == 4  # the programme and its three segments
    for path in srts:
        cues = [c.text.replace("\n", "") for c in pysrt.open(str(path), error_handling=pysrt.ERROR_RAISE)]
        assert len(cues) > 50
        assert not [c for c in cues if c.startswith(("的", "了", "等"))], path.name
        assert not [c for c in cues if c.endswith(("在", "和", "把", "但是"))], path.name


def test_a_clause_is_cut_before_its_verb_phrase_not_before_its_particle():
    # the column's own examples of what the video team retyped
    assert split_clause("在目前已经梳理更新的50余个在谈项目当中，", ZH) == ["在目前已经梳理更新的", "50余个在谈项目当中，"]
    assert split_clause("开发区在全区经济发展的主战场上不光要有决心，", ZH) == ["开发区在全区经济发展的", "主战场上不光要有决心，"]
    pieces = split_clause("在头部企业招引、园区共建、产业链项目并购和投资等方面实现合作突破，", ZH)
    assert pieces and not any(p.startswith("等") or p.endswith("和") for p in pieces), pieces
    assert split_clause("全力打造中国医疗器械和兽用器械生产智造和产业服务的新高地，", ZH) == [
        "全力打造中国医疗器械和兽用器械", "生产智造和产业服务的新高地，"]


def test_one_clause_per_cue_and_a_connective_goes_forward():
    cues = _cues("同时，充分发挥好中国建材研究总院的策源地作用。截至目前，已经完成了30%的工程量。"
                 "谢谢主持人。我们要做三件事，第一，加装电梯；第二，雨污分流。")
    assert "同时" not in cues and all(not c.endswith(("同时", "不过", "但是", "所以")) for c in cues)
    assert any(c.startswith("同时 ") for c in cues)  # with the clause it opens
    assert "截至目前 已经完成了30%的工程量" in cues  # a short lead-in shares its clause's cue
    assert "谢谢主持人" in cues  # a sentence of its own is a cue of its own
    assert any(c.endswith("第一 加装电梯；") for c in cues) and "第二 雨污分流" in cues  # 第一， opens its clause


def test_a_fragment_closing_a_sentence_stays_with_it():
    cues = _cues("这件事我们已经讨论了很久，对吧？接下来我们看一下具体的方案和实施的时间表。")
    assert "这件事我们已经讨论了很久 对吧？" in cues


def test_english_lines_never_end_on_an_article_preposition_or_conjunction():
    text = ("This is CS50, Harvard University's introduction to the intellectual enterprises of computer science "
            "and the art of programming. And so over the next eleven weeks we will take you from being among those "
            "less comfortable to feeling much more comfortable and confident and capable than that.")
    episode = parse_text(f"**JANE DOE, HOST:** {text}\n")
    track = build_track(estimate(episode), PROFILES["en"])
    check_track(episode, track)
    ends = [line.rsplit(" ", 1)[-1].lower() for cue in track.cues for line in cue.lines]
    assert not set(ends) & {"the", "a", "an", "of", "to", "and", "or", "from", "than", "university's"}, ends


def test_check_warns_about_long_unpunctuated_runs(tmp_path, capsys):
    path = tmp_path / "t.txt"
    long_run = "下一步我们准备把食堂的服务范围扩大到周边三个社区让更多的老年朋友在家门口就能吃上热乎饭菜"
    path.write_text(f"《测试》专栏\n\n# 一\n\n**主持人李薇：**大家好，今天我们聊聊食堂。\n\n{long_run}。\n", encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:7: warning: 44 characters without clause punctuation (下一步我们准备把食堂的服…)" in out
    assert out.count("without clause punctuation") == 1  # the short, punctuated paragraph is fine


def test_the_scoring_script_reads_the_human_subtitles():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import score_breaks

    row = score_breaks.score(score_breaks.DATA / "esa-2017-sea-survival.zh-en.srt", "zh")
    assert row["human cues"] == 45 and row["in-word ours"] == 0
    assert row["syntax ours"] <= row["syntax human"]
