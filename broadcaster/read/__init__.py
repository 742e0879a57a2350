"""The front of the pipeline: a file (or pasted text) → the Episode model.

load.py is the entry point (a text file, a .docx or an episode JSON); decode.py
turns bytes into normalised lines whatever the encoding; text.py parses the
transcript text (labels.py, markup.py help it).
"""
from .load import load_json, parse_file, parse_text

__all__ = ["load_json", "parse_file", "parse_text"]
