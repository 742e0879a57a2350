"""Speech engines and voices, below every renderer and timing source.

`voices` casts a voice profile (TOML) to the episode's speakers; `edge` (edge-tts)
and `espeak` (the offline libespeak-ng) turn text into a `clip.Clip` (PCM and word
events); `cache` keeps clips and encoded pieces. Synthesis (audio/, timing/) and the
alignment's reference voice (timing/recording/) both use them.
"""
