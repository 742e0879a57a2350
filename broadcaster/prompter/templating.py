"""The jinja2 environment: packaged templates, overridable from a user's folder."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from ..cachedir import default_dir
from ..errors import InputError


@lru_cache(maxsize=8)
def environment(user_dir: str | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_dir:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(jinja2.PackageLoader("broadcaster", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # transcript text is data, never markup: escaped in every HTML template
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "xml", "j2.html"),
                                            default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    return env


def _bytecode_cache() -> jinja2.BytecodeCache:
    """Compiled templates kept beside the clip cache: compiling them is a quarter of a
    text-only render. Keyed by the template's source, so an edited template recompiles;
    a cache that cannot be written only costs time."""
    class Cache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # unreadable or damaged: compile afresh
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                Path(self.directory).mkdir(parents=True, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return Cache(str(default_dir() / "templates"), "%s.jinja")


def render(name: str, context: dict, user_dir: str | None = None) -> str:
    try:
        return environment(user_dir).get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"template error: {exc.message}", path=exc.filename or name, line=exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise InputError(f"template error in {name}: {exc}", path=name, line=1) from None
