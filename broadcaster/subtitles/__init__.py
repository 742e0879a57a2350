"""Subtitle tracks: segmentation (timeline → cues) and one module per file format."""
from .profile import PROFILES, Profile, profile_for
from .segment import Cue, Track, build_track

__all__ = ["PROFILES", "Profile", "profile_for", "Cue", "Track", "build_track"]
