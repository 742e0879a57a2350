"""Prompter renderers: the script the host reads, built from the episode and its timeline."""
