"""broadcaster: prompter scripts, broadcast subtitles and rehearsal audio from one transcript.

The pipeline, from the bottom up:

  read/       a file (text in any encoding, a Word .docx, episode JSON) → the Episode (model.py)
  timing/     timing sources → one Timeline: estimate.py (speaking rates, rates.py), synthesized.py
              (the rehearsal clips), recording/ (aligned to the real recording)
  speech/     voices cast per speaker, the engines (edge-tts, offline espeak-ng), clips and their cache
  subtitles/  a timeline cut into cues by a profile's norms (segment.py), supers and cards, QC,
              one module per file format (formats/)
  programme.py  the programme built once: text converted (convert.py), profile, every track cut,
              supers placed, where each piece ends; every renderer reads it
  prompter/   the prompter script and page, the rundown
  timelines/  FCPXML and FCP7 XML for the edit suite
  audio/      the rehearsal audio, assembled from the clips
  video/      the preview video, graphics burned in
  render.py   one transcript in, every output out (options.py: the validated request; output.py:
              the atomic write; naming.py: file stems; progress.py: what a render reports)
  batch.py    many transcripts over processes
  live/       on air: following the host's voice on the prompter, live captions, the as-aired subtitles
  cli.py      the command line (terminal.py draws its progress); studio/: `broadcaster serve`

errors.py holds the domain errors, spoken.py what is said aloud (numbers read out, syllables),
cachedir.py where what can be made again is kept; templates/ the prompter's jinja2 templates.
"""
__version__ = "0.1.0"
