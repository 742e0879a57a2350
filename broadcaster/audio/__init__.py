"""Rehearsal audio, a renderer: the clips synthesis made (timing/synthesized.py), assembled.

`rehearsal.render_audio(programme, synthesis) -> files`; `assemble` levels and lays out
samples and encodes them, `mp3join` joins encoded pieces, `calibrate` tunes the offline voices.
"""
