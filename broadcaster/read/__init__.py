"""The front of the pipeline: a file (or pasted text) → the Episode model.

decode.py turns bytes into normalised lines whatever the encoding; text.py
parses the transcript text (labels.py, markup.py help it).
"""
from .text import load_json, parse_file, parse_text

__all__ = ["load_json", "parse_file", "parse_text"]
