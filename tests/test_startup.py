"""Start-up stays fast: the CLI module loads no heavy library until a command needs it."""
import subprocess
import sys

HEAVY = ["pydub", "edge_tts", "jieba", "rjieba", "pypinyin", "playwright", "pysubs2", "webvtt", "numpy", "jinja2",
         "charset_normalizer", "aiohttp", "pysrt", "rich"]


def test_importing_the_cli_loads_no_heavy_module():
    code = f"import sys, broadcaster.cli; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_help_loads_no_heavy_module():
    code = ("import sys\nfrom broadcaster.cli import main\n"
            "for argv in (['--help'], ['render', '--help'], ['check', '--help']):\n"
            "    main(argv)\n"
            f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "LOADED []"
