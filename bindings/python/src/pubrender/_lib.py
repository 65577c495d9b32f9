"""Finding and loading libpubrender, and the C signatures (stdlib ctypes).

The library is looked for, in order: the file named by the PUBRENDER_LIB
environment variable; a build tree of the source checkout this package sits
in (build/, then build-*/, as the tests use it); ctypes.util.find_library
("pubrender"), i.e. an installed libpubrender.so.N. Its pr_version_string()
must equal EXPECTED_VERSION, else importing pubrender raises ImportError."""
from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
from ctypes import (POINTER, c_char_p, c_int, c_size_t, c_uint, c_void_p)
from typing import List, Optional

EXPECTED_VERSION = "0.1.0"

# The integer values of the C enums (include/pubrender.h).
PR_OK = 0
PR_WARNING, PR_ERROR = 1, 2
FORMATS = {"html": 0, "markdown": 1, "json": 2, "csl-json": 3, "view-json": 4}
ITEM_FIELDS = ("title", "abbr", "venue", "legend", "role", "more_label", "additional_info",
               "note", "award", "award_name", "abstract", "bibtex")

WRITE_FN = ctypes.CFUNCTYPE(c_int, ctypes.POINTER(ctypes.c_char), c_size_t, c_void_p)

_P = c_void_p  # every pubrender type is opaque: a pointer is all Python holds
_SIGNATURES = {
    "pr_version_string": (c_char_p, []),
    "pr_error_new": (_P, []),
    "pr_error_free": (None, [_P]),
    "pr_error_code": (c_int, [_P]),
    "pr_error_line": (c_uint, [_P]),
    "pr_error_column": (c_uint, [_P]),
    "pr_error_source": (c_char_p, [_P]),
    "pr_error_message": (c_char_p, [_P]),
    "pr_strerror": (c_char_p, [c_int]),
    "pr_free": (None, [_P]),
    "pr_diag_severity": (c_int, [_P]),
    "pr_diag_file": (c_char_p, [_P]),
    "pr_diag_line": (c_uint, [_P]),
    "pr_diag_column": (c_uint, [_P]),
    "pr_diag_message": (c_char_p, [_P]),
    "pr_diag_code": (c_char_p, [_P]),
    "pr_diag_key": (c_char_p, [_P]),
    "pr_diag_field": (c_char_p, [_P]),
    "pr_bib_new": (_P, []),
    "pr_bib_free": (None, [_P]),
    "pr_bib_add_buffer": (c_int, [_P, c_char_p, c_size_t, c_char_p, _P]),
    "pr_bib_add_file": (c_int, [_P, c_char_p, _P]),
    "pr_bib_set_string_scope": (c_int, [_P, c_int]),
    "pr_bib_count": (c_size_t, [_P]),
    "pr_bib_entry": (_P, [_P, c_size_t]),
    "pr_bib_find": (_P, [_P, c_char_p]),
    "pr_bib_diag_count": (c_size_t, [_P]),
    "pr_bib_diag": (_P, [_P, c_size_t]),
    "pr_entry_type": (c_char_p, [_P]),
    "pr_entry_key": (c_char_p, [_P]),
    "pr_entry_file": (c_char_p, [_P]),
    "pr_entry_line": (c_uint, [_P]),
    "pr_entry_id": (c_char_p, [_P]),
    "pr_entry_field_count": (c_size_t, [_P]),
    "pr_entry_field_name": (c_char_p, [_P, c_size_t]),
    "pr_entry_field_value": (c_char_p, [_P, c_size_t]),
    "pr_entry_field": (c_char_p, [_P, c_char_p]),
    # owned: returned as a void pointer so that it can be given to pr_free
    "pr_entry_field_text": (_P, [_P, c_char_p]),
    "pr_entry_year": (c_int, [_P]),
    "pr_entry_month": (c_int, [_P]),
    "pr_entry_name_count": (c_size_t, [_P, c_char_p]),
    "pr_entry_name": (_P, [_P, c_char_p, c_size_t]),
    "pr_entry_name_field_count": (c_size_t, [_P]),
    "pr_entry_name_field": (c_char_p, [_P, c_size_t]),
    "pr_name_first": (c_char_p, [_P]),
    "pr_name_von": (c_char_p, [_P]),
    "pr_name_last": (c_char_p, [_P]),
    "pr_name_jr": (c_char_p, [_P]),
    "pr_name_display": (c_char_p, [_P]),
    "pr_name_marks": (c_char_p, [_P]),
    "pr_name_is_others": (c_int, [_P]),
    "pr_options_new": (_P, []),
    "pr_options_free": (None, [_P]),
    "pr_options_set_format": (c_int, [_P, c_int]),
    "pr_options_add_highlight": (c_int, [_P, c_char_p]),
    "pr_options_set_query": (c_int, [_P, c_char_p, _P]),
    "pr_options_set_sort": (c_int, [_P, c_char_p, _P]),
    "pr_options_set_group_by": (c_int, [_P, c_char_p, _P]),
    "pr_options_set_max_authors": (c_int, [_P, c_int]),
    "pr_options_set_threads": (c_int, [_P, c_uint]),
    "pr_options_load_config": (c_int, [_P, c_char_p, _P]),
    "pr_options_load_venues": (c_int, [_P, c_char_p, _P]),
    "pr_options_load_coauthors": (c_int, [_P, c_char_p, _P]),
    "pr_options_set_id_prefix": (c_int, [_P, c_char_p]),
    "pr_report_new": (_P, []),
    "pr_report_free": (None, [_P]),
    "pr_report_diag_count": (c_size_t, [_P]),
    "pr_report_diag": (_P, [_P, c_size_t]),
    "pr_render_string": (c_int, [_P, _P, POINTER(c_void_p), POINTER(c_size_t), _P, _P]),
    "pr_render_entries": (c_int, [_P, _P, POINTER(c_void_p), c_size_t, WRITE_FN, c_void_p,
                                  _P, _P]),
    "pr_list_build": (c_int, [_P, _P, POINTER(c_void_p), _P, _P]),
    "pr_list_free": (None, [_P]),
    "pr_list_group_count": (c_size_t, [_P]),
    "pr_list_group_heading": (c_char_p, [_P, c_size_t]),
    "pr_list_group_level": (c_int, [_P, c_size_t]),
    "pr_list_group_start": (c_size_t, [_P, c_size_t]),
    "pr_list_group_item_count": (c_size_t, [_P, c_size_t]),
    "pr_list_group_item": (_P, [_P, c_size_t, c_size_t]),
    "pr_item_entry": (_P, [_P]),
    "pr_item_id": (c_char_p, [_P]),
    "pr_item_number": (c_size_t, [_P]),
    "pr_item_marker": (c_char_p, [_P]),
    "pr_item_year_label": (c_char_p, [_P]),
    "pr_item_selected": (c_int, [_P]),
    "pr_item_text": (c_char_p, [_P, c_int]),
    "pr_item_html": (c_char_p, [_P, c_int]),
    "pr_item_badge_url": (c_char_p, [_P]),
    "pr_item_badge_color": (c_char_p, [_P]),
    "pr_item_badge_text_color": (c_char_p, [_P]),
    "pr_item_preview": (c_char_p, [_P]),
    "pr_item_author_count": (c_size_t, [_P]),
    "pr_item_author_text": (c_char_p, [_P, c_size_t]),
    "pr_item_author_html": (c_char_p, [_P, c_size_t]),
    "pr_item_author_is_owner": (c_int, [_P, c_size_t]),
    "pr_item_author_marks": (c_char_p, [_P, c_size_t]),
    "pr_item_author_url": (c_char_p, [_P, c_size_t]),
    "pr_item_author_hidden": (c_int, [_P, c_size_t]),
    "pr_item_author_sep": (c_char_p, [_P, c_size_t]),
    "pr_item_more_count": (c_size_t, [_P]),
    "pr_item_link_count": (c_size_t, [_P]),
    "pr_item_link_label": (c_char_p, [_P, c_size_t]),
    "pr_item_link_url": (c_char_p, [_P, c_size_t]),
}


def candidates() -> List[str]:
    """The files tried, in order (PUBRENDER_LIB, build trees, the system's)."""
    out: List[str] = []
    env = os.environ.get("PUBRENDER_LIB")
    if env:
        return [env]
    # ROOT/bindings/python/src/pubrender/_lib.py: the checkout is ROOT
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))))
    for d in [os.path.join(root, "build")] + sorted(glob.glob(os.path.join(root, "build-*"))):
        so = os.path.join(d, "libpubrender.so")
        if os.path.exists(so) and os.path.exists(os.path.join(root, "bindings", "python",
                                                               "pyproject.toml")):
            out.append(so)
    found = ctypes.util.find_library("pubrender")
    if found:
        out.append(found)
    return out


def _load() -> ctypes.CDLL:
    tried = candidates()
    if not tried:
        raise ImportError("pubrender: libpubrender not found: set PUBRENDER_LIB to the path of "
                          "libpubrender.so, or install the library (ldconfig must know it)")
    problems = []
    for path in tried:
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            problems.append("%s: %s" % (path, e))
            continue
        try:
            for name, (res, args) in _SIGNATURES.items():
                fn = getattr(lib, name)
                fn.restype = res
                fn.argtypes = args
        except AttributeError as e:
            problems.append("%s: not a libpubrender (%s)" % (path, e))
            continue
        got = (lib.pr_version_string() or b"").decode("utf-8", "replace")
        if got != EXPECTED_VERSION:
            raise ImportError("pubrender: %s is libpubrender %s, this package needs %s"
                              % (path, got, EXPECTED_VERSION))
        lib._pubrender_path = path  # type: ignore[attr-defined]
        return lib
    raise ImportError("pubrender: cannot load libpubrender: " + "; ".join(problems))


lib = _load()


def s(p: Optional[bytes]) -> Optional[str]:
    """A borrowed C string as str (None for NULL)."""
    return None if p is None else p.decode("utf-8", "replace")
