"""An MkDocs plugin: a page marker becomes the publication list of a .bib.

mkdocs.yml:

    plugins:
      - pubrender:
          highlight: ["Ines Varga"]
          group_by: year

A page writes, on a line of its own, either of

    {{ pubrender "papers.bib" }}
    <!-- pubrender papers.bib -->

with options after the file that win over the plugin's for this list:
{{ pubrender "papers.bib" query="@article" group_by="none" max_authors="3" }}.
A relative .bib path is looked for beside the page, then in docs_dir, then
beside mkdocs.yml. A marker inside a fenced code block is left as written. Each .bib is parsed once per build (again when it
changes); its diagnostics go to MkDocs' log as warnings with file:line
(`mkdocs build --strict` then fails), a file that cannot be read fails the
build. `mkdocs serve` watches the .bib files."""
from __future__ import annotations

import logging
import os
import re
import shlex
from typing import Any, Dict, List, Optional, Tuple

from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from ._bib import Bibliography, Error, parse
from ._render import render

log = logging.getLogger("mkdocs.plugins.pubrender")

MARKER = re.compile(r'^[ \t]*(?:\{\{\s*pubrender\s+(?P<a>.*?)\s*\}\}'
                    r'|<!--\s*pubrender\s+(?P<b>.*?)\s*-->)[ \t]*$', re.MULTILINE)
_TOKEN = "PUBRENDERLIST%dTOKEN"
_INT_OPTIONS = {"max_authors"}
_OPTIONS = {"highlight", "query", "sort", "group_by", "max_authors", "venues", "coauthors",
            "config", "id_prefix"}


_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


def _split_fences(markdown: str) -> List[Tuple[bool, str]]:
    """The text cut into (inside a fenced code block?, text) parts, so that a
    marker shown in a code block stays as written."""
    parts: List[Tuple[bool, str]] = []
    buf: List[str] = []
    fence = ""
    for line in markdown.splitlines(keepends=True):
        m = _FENCE.match(line)
        if not fence and m:
            parts.append((False, "".join(buf)))
            buf, fence = [line], m.group(1)
        elif fence and m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                and not line.strip()[len(m.group(1)):].strip():
            buf.append(line)
            parts.append((True, "".join(buf)))
            buf, fence = [], ""
        else:
            buf.append(line)
    parts.append((bool(fence), "".join(buf)))
    return parts


class PubrenderPlugin(BasePlugin):  # type: ignore[type-arg]
    config_scheme = (
        ("highlight", config_options.Type(list, default=[])),
        ("query", config_options.Type(str, default="")),
        ("sort", config_options.Type(str, default="")),
        ("group_by", config_options.Type(str, default="")),
        ("max_authors", config_options.Type(int, default=0)),
        ("venues", config_options.Type(str, default="")),
        ("coauthors", config_options.Type(str, default="")),
        ("config", config_options.Type(str, default="")),
        ("id_prefix", config_options.Type(str, default="")),
    )

    def __init__(self) -> None:
        self._bibs: Dict[str, Tuple[float, Bibliography]] = {}
        self._pending: Dict[str, List[str]] = {}
        self._watched: List[str] = []

    # -- helpers -----------------------------------------------------------
    def _site_dir(self, config: Any) -> str:
        return os.path.dirname(os.path.abspath(config["config_file_path"] or "mkdocs.yml"))

    def _resolve(self, path: str, page_dir: Optional[str], config: Any) -> str:
        if os.path.isabs(path):
            return path
        for d in (page_dir, config["docs_dir"], self._site_dir(config)):
            if d and os.path.exists(os.path.join(d, path)):
                return os.path.join(d, path)
        raise PluginError("pubrender: %s not found beside the page, in docs_dir or beside "
                          "mkdocs.yml" % path)

    def _bib(self, path: str) -> Bibliography:
        mtime = os.stat(path).st_mtime
        cached = self._bibs.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        try:
            bib = parse(path)
        except Error as e:
            raise PluginError("pubrender: %s" % e) from e
        for d in bib.diagnostics:
            log.warning("%s", d)
        if cached:
            cached[1].close()
        self._bibs[path] = (mtime, bib)
        if path not in self._watched:
            self._watched.append(path)
        return bib

    def _options(self, args: List[str], config: Any) -> Dict[str, Any]:
        opts: Dict[str, Any] = {}
        for k in _OPTIONS:
            v = self.config.get(k)
            if v:
                opts[k] = v
        for a in args:
            k, eq, v = a.partition("=")
            k = k.replace("-", "_")
            if not eq or k not in _OPTIONS:
                raise PluginError("pubrender: unknown option %r (known: %s)"
                                  % (a, ", ".join(sorted(_OPTIONS))))
            opts[k] = int(v) if k in _INT_OPTIONS else ([v] if k == "highlight" else v)
        for k in ("venues", "coauthors", "config"):
            if k in opts and not os.path.isabs(opts[k]):
                opts[k] = os.path.join(self._site_dir(config), opts[k])
        return opts

    # -- MkDocs events -----------------------------------------------------
    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        src = getattr(page.file, "abs_src_path", None)
        page_dir = os.path.dirname(src) if src else None
        rendered: List[str] = []

        def one(m: "re.Match[str]") -> str:
            try:
                words = shlex.split(m.group("a") if m.group("a") is not None else m.group("b"))
            except ValueError as e:
                raise PluginError("pubrender: %s: %s" % (page.file.src_path, e)) from e
            if not words:
                raise PluginError("pubrender: %s: the marker names no .bib"
                                  % page.file.src_path)
            bib = self._bib(self._resolve(words[0], page_dir, config))
            try:
                html = render(bib, "html", **self._options(words[1:], config))
            except Error as e:
                raise PluginError("pubrender: %s: %s" % (page.file.src_path, e)) from e
            for d in html.diagnostics:
                log.warning("%s", d)
            rendered.append(str(html))
            return _TOKEN % (len(rendered) - 1)

        out = "".join(part if fenced else MARKER.sub(one, part)
                      for fenced, part in _split_fences(markdown))
        if rendered:
            self._pending[page.file.src_path] = rendered
        return out

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        # the list goes in after Markdown, so nothing of it is read as Markdown
        for i, frag in enumerate(self._pending.pop(page.file.src_path, [])):
            token = _TOKEN % i
            html = html.replace("<p>%s</p>" % token, frag).replace(token, frag)
        return html

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        for path in self._watched:
            server.watch(path)
        return server

    def on_post_build(self, config: Any) -> None:
        # a serve rebuild parses again the files that changed (mtime), the rest stays
        self._pending.clear()
