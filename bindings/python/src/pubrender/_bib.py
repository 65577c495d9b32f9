"""Parsing: Bibliography, Entry, Name, Diagnostic and Error."""
from __future__ import annotations

import ctypes
import os
import warnings
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Sequence, Union

from ._lib import PR_ERROR, PR_OK, lib, s


class Error(Exception):
    """A failed call of the library: code (the pr_status name, e.g. "PR_ERR_IO"),
    file, line and column (0 = unknown) and message, read from its pr_error."""

    CODES = {1: "PR_ERR_NOMEM", 2: "PR_ERR_IO", 3: "PR_ERR_INPUT", 4: "PR_ERR_ARG",
             5: "PR_ERR_INTERNAL"}

    def __init__(self, status: int, file: str, line: int, column: int, message: str) -> None:
        self.status = status
        self.code = self.CODES.get(status, "PR_ERR_%d" % status)
        self.file, self.line, self.column, self.message = file, line, column, message
        where = ":".join([file] + [str(n) for n in (line, column) if n]) if file else ""
        super().__init__("%s: %s" % (where, message) if where else message)


class PubrenderWarning(UserWarning):
    """A diagnostic given as a Python warning (parse(..., warnings=True))."""


class _Err:
    """A pr_error on the heap for one call."""

    def __init__(self) -> None:
        self.p = lib.pr_error_new()
        if not self.p:
            raise MemoryError("pr_error_new")

    def __enter__(self) -> "_Err":
        return self

    def __exit__(self, *exc: object) -> None:
        lib.pr_error_free(self.p)

    def check(self, status: int) -> None:
        if status != PR_OK:
            p = self.p
            msg = s(lib.pr_error_message(p)) or s(lib.pr_strerror(status)) or ""
            raise Error(status, s(lib.pr_error_source(p)) or "", lib.pr_error_line(p),
                        lib.pr_error_column(p), msg)


@dataclass(frozen=True)
class Diagnostic:
    """One finding about the input or a render (README: "Diagnostic codes")."""
    severity: str          # "warning" or "error"
    code: str              # "undefined-macro", "unsafe-url", ...
    file: str
    line: int              # 0 = unknown
    column: int            # 0 = unknown
    message: str
    key: Optional[str]     # the entry it is about
    field: Optional[str]   # the field it is about

    @classmethod
    def _from(cls, d: int) -> "Diagnostic":
        return cls("error" if lib.pr_diag_severity(d) == PR_ERROR else "warning",
                   s(lib.pr_diag_code(d)) or "", s(lib.pr_diag_file(d)) or "",
                   lib.pr_diag_line(d), lib.pr_diag_column(d), s(lib.pr_diag_message(d)) or "",
                   s(lib.pr_diag_key(d)), s(lib.pr_diag_field(d)))

    def __str__(self) -> str:
        where = ":".join([self.file] + [str(n) for n in (self.line, self.column) if n])
        return "%s: %s: %s [%s]" % (where, self.severity, self.message, self.code)


def emit_warnings(diags: List[Diagnostic], stacklevel: int = 3) -> None:
    for d in diags:
        warnings.warn(str(d), PubrenderWarning, stacklevel=stacklevel)


@dataclass(frozen=True)
class Name:
    """One name of a name list, its parts as plain UTF-8 (marks removed)."""
    first: str
    von: str
    last: str
    jr: str
    display: str   # "First von Last, Jr"; "et al." for "others"
    marks: str     # "*", "*\u2020", "" when none
    others: bool   # "and others"

    @classmethod
    def _from(cls, n: int) -> "Name":
        return cls(s(lib.pr_name_first(n)) or "", s(lib.pr_name_von(n)) or "",
                   s(lib.pr_name_last(n)) or "", s(lib.pr_name_jr(n)) or "",
                   s(lib.pr_name_display(n)) or "", s(lib.pr_name_marks(n)) or "",
                   bool(lib.pr_name_is_others(n)))


class Entry:
    """One entry of a Bibliography (valid while the Bibliography lives)."""

    def __init__(self, bib: "Bibliography", p: int) -> None:
        self._bib, self._p = bib, p
        self.key: str = s(lib.pr_entry_key(p)) or ""
        self.id: str = s(lib.pr_entry_id(p)) or ""
        self.type: str = s(lib.pr_entry_type(p)) or ""
        self.file: str = s(lib.pr_entry_file(p)) or ""
        self.line: int = lib.pr_entry_line(p)
        self.year: int = lib.pr_entry_year(p)
        self.month: int = lib.pr_entry_month(p)
        self.fields: Dict[str, str] = {
            s(lib.pr_entry_field_name(p, i)) or "": s(lib.pr_entry_field_value(p, i)) or ""
            for i in range(lib.pr_entry_field_count(p))}
        self.names: Dict[str, List[Name]] = {}
        for i in range(lib.pr_entry_name_field_count(p)):
            f = lib.pr_entry_name_field(p, i)
            self.names[s(f) or ""] = [Name._from(lib.pr_entry_name(p, f, j))
                                      for j in range(lib.pr_entry_name_count(p, f))]

    def text(self, field: str) -> Optional[str]:
        """The field converted from LaTeX to plain UTF-8, None when the entry has none."""
        self._bib._alive()
        q = lib.pr_entry_field_text(self._p, field.encode("utf-8"))
        if not q:
            return None
        try:
            return ctypes.string_at(q).decode("utf-8", "replace")
        finally:
            lib.pr_free(q)

    @property
    def authors(self) -> List[Name]:
        return self.names.get("author", [])

    def __repr__(self) -> str:
        return "<Entry @%s{%s}>" % (self.type, self.key)


STRING_SCOPES = {"shared": 0, "file": 1}  # pr_string_scope: PR_STRINGS_SHARED, PR_STRINGS_PER_FILE


def _scope_value(scope: str) -> int:
    if scope not in STRING_SCOPES:
        raise ValueError("string_scope must be 'shared' or 'file', not %r" % (scope,))
    return STRING_SCOPES[scope]


class Bibliography:
    """Entries parsed from one or more documents, with the parse diagnostics.
    string_scope: "shared" (the default, BibTeX's rule: a document added sees
    the @string macros of the documents added before it) or "file" (each
    document's macros are its own); it may be changed between add() calls.
    Close it (or use it as a context manager) to free the C side at once;
    otherwise it is freed when collected."""

    def __init__(self, string_scope: str = "shared") -> None:
        value = _scope_value(string_scope)
        self._p: Optional[int] = lib.pr_bib_new()
        if not self._p:
            raise MemoryError("pr_bib_new")
        self.entries: List[Entry] = []
        self.diagnostics: List[Diagnostic] = []
        self._scope = string_scope
        lib.pr_bib_set_string_scope(self._p, value)

    @property
    def string_scope(self) -> str:
        """The @string scope of the documents added from now on."""
        return self._scope

    @string_scope.setter
    def string_scope(self, scope: str) -> None:
        lib.pr_bib_set_string_scope(self._alive(), _scope_value(scope))
        self._scope = scope

    def _alive(self) -> int:
        if not self._p:
            raise ValueError("the Bibliography is closed")
        return self._p

    def add(self, path_or_text: Union[str, bytes, "os.PathLike[str]"],
            name: Optional[str] = None) -> List[Diagnostic]:
        """Parse one more document: a path, or BibTeX text (a str containing
        "@" or a newline, or bytes). Returns the diagnostics it added."""
        p = self._alive()
        before = lib.pr_bib_diag_count(p)
        with _Err() as err:
            if isinstance(path_or_text, bytes) or (
                    isinstance(path_or_text, str) and ("@" in path_or_text
                                                       or "\n" in path_or_text)):
                data = (path_or_text if isinstance(path_or_text, bytes)
                        else path_or_text.encode("utf-8"))
                st = lib.pr_bib_add_buffer(p, data, len(data),
                                           name.encode("utf-8") if name else None, err.p)
            else:
                st = lib.pr_bib_add_file(p, os.fsencode(path_or_text), err.p)
            self._refresh()
            err.check(st)
        return self.diagnostics[before:]

    def _refresh(self) -> None:
        p = self._alive()
        self.entries = [Entry(self, lib.pr_bib_entry(p, i)) for i in range(lib.pr_bib_count(p))]
        self.diagnostics = [Diagnostic._from(lib.pr_bib_diag(p, i))
                            for i in range(lib.pr_bib_diag_count(p))]

    def __getitem__(self, key: str) -> Entry:
        """The entry with this key (case-insensitive; a repeated key: its first)."""
        e = lib.pr_bib_find(self._alive(), key.encode("utf-8"))
        for ent in self.entries:
            if ent._p == e:
                return ent
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(lib.pr_bib_find(self._alive(), key.encode("utf-8")))

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def errors(self) -> List[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def close(self) -> None:
        if self._p:
            lib.pr_bib_free(self._p)
            self._p = None

    def __enter__(self) -> "Bibliography":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone already
            pass


Document = Union[str, bytes, "os.PathLike[str]"]


def parse(path_or_text: Union[Document, Sequence[Document]], name: Optional[str] = None,
          warnings: bool = False, string_scope: str = "shared") -> Bibliography:
    """Parse a .bib file (a path) or BibTeX text (str with "@" or a newline, or bytes),
    or a list (or tuple) of them, in order, into one Bibliography: with
    string_scope="shared" (the default, BibTeX's rule for \\bibliography{a,b}) a
    document sees the @string macros of those before it; "file" keeps each
    document's macros to itself. Problems in the input are diagnostics
    (bib.diagnostics), given as PubrenderWarning too with warnings=True; a file
    that cannot be read raises Error."""
    docs = list(path_or_text) if isinstance(path_or_text, (list, tuple)) else [path_or_text]
    bib = Bibliography(string_scope)
    diags: List[Diagnostic] = []
    try:
        for doc in docs:
            diags += bib.add(doc, name if len(docs) == 1 else None)
    except Exception:
        bib.close()
        raise
    if warnings:
        emit_warnings(diags)
    return bib
