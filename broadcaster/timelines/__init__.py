"""Timelines the NLEs import: FCPXML 1.9 (Final Cut Pro, DaVinci Resolve) and FCP7 XML (Premiere).

`edit.build_edit` turns the episode, its timeline and its tracks into one
frame-exact description (markers, title lanes, the programme's media); each
writer module renders that with lxml; `files.render(programme)` gives the files
asked for. Formats by name, as in --formats: the registry below is all this face holds
(options.py checks --formats against it without loading the writers).
"""

# --formats name → (writer module, file extension)
TIMELINES = {"fcpxml": ("fcpxml", "fcpxml"), "xml": ("xmeml", "xml")}
