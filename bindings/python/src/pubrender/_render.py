"""Rendering and the display model."""
from __future__ import annotations

import ctypes
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from ._bib import Bibliography, Diagnostic, _Err, emit_warnings
from ._lib import FORMATS, ITEM_FIELDS, WRITE_FN, lib, s

PathArg = Union[str, "os.PathLike[str]"]


class Rendered(str):
    """The output (a str) with what the render found: .diagnostics."""
    diagnostics: List[Diagnostic]


class _Options:
    """A pr_options filled from keyword arguments; freed on exit."""

    def __init__(self, format: str = "html", highlight: Union[str, Iterable[str], None] = None,
                 query: Optional[str] = None, sort: Optional[str] = None,
                 group_by: Optional[str] = None, max_authors: Optional[int] = None,
                 venues: Optional[PathArg] = None, coauthors: Optional[PathArg] = None,
                 config: Optional[PathArg] = None, id_prefix: Optional[str] = None,
                 threads: Optional[int] = None) -> None:
        if format not in FORMATS:
            raise ValueError("format must be one of %s, not %r" % (", ".join(FORMATS), format))
        self.p = lib.pr_options_new()
        if not self.p:
            raise MemoryError("pr_options_new")
        try:
            with _Err() as err:
                # the configuration file first: the arguments win over it
                if config is not None:
                    err.check(lib.pr_options_load_config(self.p, os.fsencode(config), err.p))
                err.check(lib.pr_options_set_format(self.p, FORMATS[format]))
                if isinstance(highlight, str):
                    highlight = [highlight]
                for h in highlight or ():
                    err.check(lib.pr_options_add_highlight(self.p, h.encode("utf-8")))
                if query is not None:
                    err.check(lib.pr_options_set_query(self.p, query.encode("utf-8"), err.p))
                if sort is not None:
                    err.check(lib.pr_options_set_sort(self.p, sort.encode("utf-8"), err.p))
                if group_by is not None:
                    err.check(lib.pr_options_set_group_by(self.p, group_by.encode("utf-8"),
                                                          err.p))
                if max_authors is not None:
                    err.check(lib.pr_options_set_max_authors(self.p, int(max_authors)))
                if venues is not None:
                    err.check(lib.pr_options_load_venues(self.p, os.fsencode(venues), err.p))
                if coauthors is not None:
                    err.check(lib.pr_options_load_coauthors(self.p, os.fsencode(coauthors),
                                                            err.p))
                if id_prefix is not None:
                    err.check(lib.pr_options_set_id_prefix(self.p, id_prefix.encode("utf-8")))
                if threads is not None:
                    if int(threads) < 0:
                        raise ValueError("threads must be 0 (one per core) or more, not %r"
                                         % threads)
                    err.check(lib.pr_options_set_threads(self.p, int(threads)))
        except BaseException:
            lib.pr_options_free(self.p)
            raise

    def __enter__(self) -> "_Options":
        return self

    def __exit__(self, *exc: object) -> None:
        lib.pr_options_free(self.p)


class _Report:
    def __init__(self) -> None:
        self.p = lib.pr_report_new()
        if not self.p:
            raise MemoryError("pr_report_new")

    def __enter__(self) -> "_Report":
        return self

    def __exit__(self, *exc: object) -> None:
        lib.pr_report_free(self.p)

    def diagnostics(self) -> List[Diagnostic]:
        return [Diagnostic._from(lib.pr_report_diag(self.p, i))
                for i in range(lib.pr_report_diag_count(self.p))]


def render(bib: Bibliography, format: str = "html", *, entries: Optional[Sequence[str]] = None,
           warnings: bool = False, **options: Any) -> Rendered:
    """The list in a format ("html", "markdown", "json", "csl-json", "view-json").
    Options: highlight (a name or names of the page owner), query, sort,
    group_by, max_authors, venues / coauthors (al-folio's YAML files), config
    (a pubrender.yml), id_prefix, threads (0: one per core; the output is the
    same for every count). entries=[keys]: exactly those entries, in
    that order (query, sort and grouping not applied). The result is a str
    with .diagnostics, what the render found (warnings=True: also as warnings)."""
    p = bib._alive()
    with _Options(format, **options) as o, _Report() as rep, _Err() as err:
        if entries is None:
            out, n = ctypes.c_void_p(), ctypes.c_size_t()
            st = lib.pr_render_string(p, o.p, ctypes.byref(out), ctypes.byref(n), rep.p, err.p)
            try:
                err.check(st)
                text = ctypes.string_at(out, n.value).decode("utf-8")
            finally:
                lib.pr_free(out)
        else:
            ptrs = []
            for k in entries:
                e = lib.pr_bib_find(p, k.encode("utf-8"))
                if not e:
                    raise KeyError(k)
                ptrs.append(e)
            arr = (ctypes.c_void_p * max(1, len(ptrs)))(*ptrs)
            pieces: List[bytes] = []

            def sink(data: Any, size: int, ctx: Any) -> int:
                pieces.append(ctypes.string_at(data, size))
                return 0

            cb = WRITE_FN(sink)
            err.check(lib.pr_render_entries(p, o.p, arr, len(ptrs), cb, None, rep.p, err.p))
            text = b"".join(pieces).decode("utf-8")
        result = Rendered(text)
        result.diagnostics = rep.diagnostics()
    if warnings:
        emit_warnings(result.diagnostics)
    return result


def _item(it: int) -> Dict[str, Any]:
    e = lib.pr_item_entry(it)
    d: Dict[str, Any] = {
        "id": s(lib.pr_item_id(it)),
        "key": s(lib.pr_entry_key(e)),
        "type": s(lib.pr_entry_type(e)),
        "number": lib.pr_item_number(it),
        "marker": s(lib.pr_item_marker(it)),
        "year": s(lib.pr_item_year_label(it)),
        "selected": bool(lib.pr_item_selected(it)),
    }
    for i, f in enumerate(ITEM_FIELDS):
        t = lib.pr_item_text(it, i)
        d[f] = None if t is None else {"text": s(t), "html": s(lib.pr_item_html(it, i))}
    d["badge"] = None if d["abbr"] is None else {
        "text": d["abbr"]["text"], "url": s(lib.pr_item_badge_url(it)),
        "color": s(lib.pr_item_badge_color(it)),
        "text_color": s(lib.pr_item_badge_text_color(it))}
    d["preview"] = s(lib.pr_item_preview(it))
    d["authors"] = [{
        "text": s(lib.pr_item_author_text(it, i)), "html": s(lib.pr_item_author_html(it, i)),
        "owner": bool(lib.pr_item_author_is_owner(it, i)),
        "marks": s(lib.pr_item_author_marks(it, i)), "url": s(lib.pr_item_author_url(it, i)),
        "hidden": bool(lib.pr_item_author_hidden(it, i)),
        "sep": s(lib.pr_item_author_sep(it, i)),
    } for i in range(lib.pr_item_author_count(it))]
    d["more_authors"] = lib.pr_item_more_count(it)
    d["links"] = [{"label": s(lib.pr_item_link_label(it, i)), "url": s(lib.pr_item_link_url(it, i))}
                  for i in range(lib.pr_item_link_count(it))]
    return d


class DisplayModel(list):  # type: ignore[type-arg]
    """The groups (dicts) with .diagnostics, what building found."""
    diagnostics: List[Diagnostic]


def display_model(bib: Bibliography, *, warnings: bool = False,
                  **options: Any) -> DisplayModel:
    """The display model (README: "Display model") as a list of groups:
    {"heading": str or None, "level": int, "start": int, "items": [item, ...]};
    an item has id, key, type, number, marker, year (the label), selected, the text
    values title, abbr, venue, legend, role, more_label, additional_info,
    note, award, award_name, abstract, bibtex (each None or {"text", "html"}),
    badge ({"text", "url", "color", "text_color"} or None), preview, authors
    ([{"text", "html", "owner", "marks", "url", "hidden", "sep"}]),
    more_authors and links ([{"label", "url"}]). Options as for render()."""
    p = bib._alive()
    with _Options("html", **options) as o, _Report() as rep, _Err() as err:
        out = ctypes.c_void_p()
        err.check(lib.pr_list_build(p, o.p, ctypes.byref(out), rep.p, err.p))
        lst = out.value
        try:
            groups = DisplayModel(
                {"heading": s(lib.pr_list_group_heading(lst, g)),
                 "level": lib.pr_list_group_level(lst, g),
                 "start": lib.pr_list_group_start(lst, g),
                 "items": [_item(lib.pr_list_group_item(lst, g, i))
                           for i in range(lib.pr_list_group_item_count(lst, g))]}
                for g in range(lib.pr_list_group_count(lst)))
        finally:
            lib.pr_list_free(lst)
        groups.diagnostics = rep.diagnostics()
    if warnings:
        emit_warnings(groups.diagnostics)
    return groups
