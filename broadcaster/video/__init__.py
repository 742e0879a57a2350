"""The preview video: the programme with its graphics burned in, for review before air."""
