"""The rundown: read time per segment and per turn, cumulative, back-time to a hard out,
totals per speaker. As Markdown (`<stem>.rundown.md`) and as the table in the prompter page."""
from __future__ import annotations

from markupsafe import Markup, escape

from .context import clock

# a turn the real recording does not time (cut, or recorded out of the script's order): not 0:00
NOT_TIMED = "not timed: see the .align.md report"


def rows(context: dict) -> list[dict]:
    hard_out = context["hard_out_ms"]
    out = []
    for seg in context["segments"]:
        start = seg.start_ms
        row = {"number": seg.number, "title": seg.title, "read": clock(seg.read_ms), "start": clock(start),
               "cumulative": clock(seg.cumulative_ms),
               "backtime": clock(hard_out - start) if hard_out is not None else "",
               "turns": [(t.name, clock(t.start_ms), NOT_TIMED if t.absent else clock(t.read_ms))
                         for t in seg.turns]}
        out.append(row)
    return out


def to_markdown(context: dict) -> str:
    hard_out = context["hard_out_ms"]
    lines = [f"# 串联单 Rundown: {context['title']}", "",
             f"Times from {'the character-rate estimate' if context['timing_source'] == 'estimate' else context['timing_source']}."]
    if hard_out is not None:
        lines.append(f"Hard out at {clock(hard_out)}: back-time is the time left on the clock when a segment starts.")
    lines += ["", "| # | segment | read | starts | cumulative |" + (" back-time |" if hard_out is not None else ""),
              "|---|---|---:|---:|---:|" + ("---:|" if hard_out is not None else "")]
    for r in rows(context):
        lines.append(f"| {r['number']} | {_md(r['title'])} | {r['read']} | {r['start']} | {r['cumulative']} |"
                     + (f" {r['backtime']} |" if hard_out is not None else ""))
    total = context["total_ms"]
    lines += ["", f"**Total {clock(total)}** (read {clock(context['read_ms'])}, the rest pauses between turns and segments)."]
    if hard_out is not None:
        over = total - hard_out
        lines.append(f"Against the hard out: {'over by ' + clock(over) if over > 0 else 'under by ' + clock(-over)}.")
    lines += ["", "## Turns", ""]
    for r in rows(context):
        lines += [f"### {r['number']}. {_md(r['title'])}", "", "| speaker | at | read |", "|---|---:|---:|"]
        lines += [f"| {_md(name)} | {at} | {read} |" for name, at, read in r["turns"]]
        lines.append("")
    lines += ["## Per speaker", "", "| speaker | role | read |", "|---|---|---:|"]
    for speaker, ms in context["speakers"]:
        lines.append(f"| {_md(speaker.name)} | {speaker.role} | {clock(ms)} |")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_html(context: dict) -> Markup:
    hard_out = context["hard_out_ms"]
    head = "<tr><th>#</th><th>段落</th><th>时长</th><th>开始</th><th>累计</th>" + ("<th>倒计时</th>" if hard_out is not None else "") + "</tr>"
    body = []
    for r in rows(context):
        cells = [r["number"], r["title"], r["read"], r["start"], r["cumulative"]] + ([r["backtime"]] if hard_out is not None else [])
        body.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    speakers = "".join(f"<tr><td>{escape(s.name)}</td><td>{escape(s.role)}</td><td>{clock(ms)}</td></tr>"
                       for s, ms in context["speakers"])
    return Markup(f"<table>{head}{''.join(body)}<tr><td></td><td>合计</td><td>{clock(context['total_ms'])}</td></tr></table>"
                  f"<table>{speakers}</table>")
