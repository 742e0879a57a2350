"""Points the installed edge-tts (its `edge-tts` console script, or any program using it)
at a loopback server: run it with PYTHONPATH=scripts/edge_tts_loopback and
EDGE_TTS_WSS_URL=ws://127.0.0.1:PORT/edge/v1?TrustedClientToken=... (scripts/bench_audio.py)."""
import os

if os.environ.get("EDGE_TTS_WSS_URL"):
    import edge_tts.communicate

    edge_tts.communicate.WSS_URL = os.environ["EDGE_TTS_WSS_URL"]
