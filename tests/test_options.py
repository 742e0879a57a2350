"""One validated render request: RenderOptions checks itself, and the CLI and the studio share its parsers."""
from __future__ import annotations

import dataclasses

import pytest

from broadcaster.cli import main
from broadcaster.errors import OptionsError
from broadcaster.options import GROUPS, RenderOptions, group, parse_duration
from broadcaster.speech.voices import load_profile
from broadcaster.timing import Rates
from broadcaster.timing.rates import role_rates, speaker_rates

REFUSED = [
    ({"formats": ("srt", "docx")}, "formats"),
    ({"formats": ()}, "formats"),
    ({"audio": True, "recordings": ("a.wav",)}, "recordings"),
    ({"channel": 2}, "channel"),
    ({"strict": True}, "channel"),
    ({"max_line": 100.0}, "max_line"),
    ({"max_lines": 0}, "max_lines"),
    ({"fps": 23.976}, "fps"),
    ({"convert": "s2x"}, "convert"),
    ({"supers": "some"}, "supers"),
    ({"supers_duration_ms": 9000}, "supers_duration_ms"),
    ({"encoding": "latin-1"}, "encoding"),
    ({"hard_out_ms": -1}, "hard_out_ms"),
]


@pytest.mark.parametrize(("changes", "option"), REFUSED)
def test_a_bad_option_is_one_domain_error_naming_the_field_not_a_flag(changes, option):
    with pytest.raises(OptionsError) as caught:
        RenderOptions(**changes)
    assert caught.value.option == option
    assert "--" not in str(caught.value)  # the CLI names its flags itself


def test_the_video_size_is_checked_where_it_is_used():
    options = RenderOptions(video_size="12x7")  # not used by this render: no error, as before
    with pytest.raises(OptionsError) as caught:
        options.size  # noqa: B018
    assert caught.value.option == "video_size" and "--" not in str(caught.value)
    assert RenderOptions(video_size="640x360").size == (640, 360)


def test_every_field_has_a_group_and_the_groups_cover_them_all():
    names = [f.name for f in dataclasses.fields(RenderOptions)]
    assert sorted(n for g in GROUPS for n in group(g)) == sorted(names)
    assert "fps" in group("subtitles") and "engine" in group("audio") and "rates" in group("timing")


def test_one_duration_parser():
    assert parse_duration("25:00") == 1_500_000
    assert parse_duration("1:02:03.5") == 3_723_500
    assert parse_duration(90_000) == 90_000 and parse_duration("") is None and parse_duration(None) is None
    with pytest.raises(OptionsError) as caught:
        parse_duration("ab:cd")
    assert caught.value.option == "hard_out_ms" and caught.value.detail == "'ab:cd': use mm:ss or h:mm:ss"


def test_the_cli_and_the_studio_give_the_same_duration_refusal(capsys):
    from broadcaster.errors import InputError
    from broadcaster.studio.settings import options_kwargs

    assert main(["render", "x.txt", "--hard-out", "ab:cd"]) == 2
    assert "Invalid value for --hard-out: 'ab:cd': use mm:ss or h:mm:ss" in capsys.readouterr().err
    with pytest.raises(InputError, match=r"^hard out 'ab:cd': use mm:ss or h:mm:ss$"):
        options_kwargs({"options": {"hard_out_ms": "ab:cd"}})


def test_one_rates_resolver():
    profile = load_profile(None)
    assert role_rates(profile, host=5.0)["narrator"] == 5.0
    assert role_rates(profile, host=5.0, narrator=3.0)["narrator"] == 3.0
    assert role_rates(profile)["guest"] == float(profile["roles"]["guest"].get("chars_per_second", 4.0))

    from broadcaster.read import parse_text

    episode = parse_text("# 一\n\n**主持人李薇：**你好。\n\n**开发区主任王五：**好。\n", "t.txt")
    keyed = speaker_rates(episode, Rates(role_rates(profile), {"王五": 3.0}), profile)
    assert set(keyed.by_speaker.values()) == {3.0} and all(k in {s.key for s in episode.speakers}
                                                          for k in keyed.by_speaker)
    with pytest.raises(OptionsError) as caught:
        speaker_rates(episode, Rates(role_rates(profile), {"赵六": 3.0}), profile)
    assert caught.value.option == "rates" and "--" not in str(caught.value)


def test_the_settings_form_is_the_options_metadata():
    from broadcaster.studio.settings import schema

    offered = {spec["name"]: spec for spec in schema()}
    for f in dataclasses.fields(RenderOptions):
        form = f.metadata["form"]
        assert (f.name in offered) == (form is not None), f.name
        if form is not None:
            assert (offered[f.name]["label"], offered[f.name]["group"]) == (form.label, form.section)
