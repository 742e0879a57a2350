"""Spoken syllables: what timing counts (REFERENCE.md: digits are read out)."""
import pytest

from broadcaster.spoken import count_syllables, spoken_form, zh_integer


@pytest.mark.parametrize("text, spoken, syllables", [
    ("2022年", "二零二二年", 5),
    ("30%", "百分之三十", 5),
    ("7000万元", "七千万元", 4),
    ("1005", "一千零五", 4),
    ("16.5万公里", "十六点五万公里", 7),
    ("-20℃", "零下二十摄氏度", 7),
    ("10万亿元", "十万亿元", 4),
])
def test_chinese_numbers_are_read_out(text, spoken, syllables):
    assert spoken_form(text) == spoken
    assert count_syllables(text) == syllables


@pytest.mark.parametrize("n, reading", [(0, "零"), (10, "十"), (15, "十五"), (110, "一百一十"), (1000001, "一百万零一"),
                                        (20000, "两万" if False else "二万"), (100000000, "一亿")])
def test_integer_readings(n, reading):
    assert zh_integer(n) == reading


def test_punctuation_is_silent_and_acronyms_are_spelled():
    assert count_syllables("，。！？“”《》") == 0
    assert count_syllables("CDMO项目") == 6
    assert count_syllables("PCR") == 3


def test_english_counts_syllables_not_letters():
    assert count_syllables("Hello, and welcome to the show.", "en") == 8
    assert count_syllables("9.4 percent", "en") == 5  # nine point four per-cent
