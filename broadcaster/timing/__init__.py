"""Timing sources: when each phrase is spoken.

`estimate` (character rate), `synthesized` (the rehearsal audio's clips); all
produce one `Timeline` that every renderer reads.
"""
from .estimate import DEFAULT_RATES, Rates, estimate
from .timeline import (PARAGRAPH_PAUSE_MS, SEGMENT_GAP_MS, TURN_PAUSE_MS, Phrase, TimedSegment, TimedTurn,
                       Timeline, split_phrases)

__all__ = ["DEFAULT_RATES", "PARAGRAPH_PAUSE_MS", "SEGMENT_GAP_MS", "TURN_PAUSE_MS", "Phrase", "Rates",
           "TimedSegment", "TimedTurn", "Timeline", "estimate", "split_phrases"]
