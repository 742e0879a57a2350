"""broadcaster: prompter scripts, broadcast subtitles and rehearsal audio from one transcript.

The pipeline, one module each: read → parse (model) → timeline → renderers
(prompter/, subtitles/, audio/), with render.py orchestrating and cli.py on top.
"""
__version__ = "0.1.0"
