"""Decoding: whatever the producer's word processor exported reads the same."""
import pytest

from broadcaster.errors import DecodeError
from broadcaster.read import parse_file

SAMPLE = "《测试》专栏\n\n# 第一段\n\n**主持人李薇：**观众朋友们大家好，今天是2022年。\n\n**嘉宾张三：**谢谢！\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-16-be"])
def test_every_common_encoding_reads_to_the_same_episode(tmp_path, encoding):
    text = SAMPLE
    if encoding == "big5":  # a Traditional transcript: Big5 holds only Traditional characters
        text = "《測試》專欄\n\n# 第一段\n\n**主持人李薇：**觀眾朋友們大家好，今天是2022年。\n\n**嘉賓張三：**謝謝！\n"
    path = tmp_path / f"t-{encoding}.txt"
    path.write_bytes(text.encode(encoding) if encoding != "utf-16" else text.encode("utf-16"))
    ep = parse_file(path)
    assert ep.title in ("《测试》专栏", "《測試》專欄")
    assert [s.role for s in ep.speakers] == ["host", "guest"]
    assert ep.segments[0].turns[0].speech.endswith("今天是2022年。")


def test_crlf_and_old_mac_line_ends_read_like_lf(tmp_path):
    for eol in ("\r\n", "\r"):
        path = tmp_path / "eol.txt"
        path.write_bytes(SAMPLE.replace("\n", eol).encode("utf-8"))
        ep = parse_file(path)
        assert len(ep.segments[0].turns) == 2
        assert "\r" not in ep.speech


def test_binary_file_is_a_clear_decode_error(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(DecodeError) as info:
        parse_file(path)
    assert str(info.value).startswith(f"{path}:")
    assert "binary" in str(info.value) or "decode" in str(info.value)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(DecodeError) as info:
        parse_file(tmp_path / "nope.txt")
    assert "nope.txt:1: no such file" in str(info.value)


def test_u2028_and_trailing_spaces_are_normalised(tmp_path):
    path = tmp_path / "u.txt"
    path.write_text("**主持人李薇：**第一句。   \u2028\u2028第二句。\n", encoding="utf-8")
    ep = parse_file(path)
    assert "\u2028" not in ep.speech
    assert [p.speech for p in ep.segments[0].turns[0].paragraphs] == ["第一句。", "第二句。"]
