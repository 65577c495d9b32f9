#!/usr/bin/env python3
"""make_corpus.py CORPUS_DIR OUT_DIR [--huge]

Builds the benchmark inputs from the real .bib files in CORPUS_DIR
(../shared/bench-corpus, see its SOURCES.md):

  base.bib    every corpus file once, in a fixed order (cryptobib in the
              order abbrev0, crypto_misc, crypto_conf_list; then cmlbib,
              thesis, bibliotex, each sorted by path), LF line endings
  bench-50.bib   base.bib, then copies of it with renamed keys, cut at an
              entry boundary at 50,000,000 bytes
  bench-200.bib  the same up to 200,000,000 bytes (only with --huge)
  home-50.bib    the first 50 entries of thesis/anthology.bib (a homepage)

In copy r (r >= 1) every entry key and every crossref target gets the
suffix "-r<r>", so keys stay unique exactly as in the original, and
@string definitions become @comment: the macros defined by copy 0 stay in
force for the rest of the (single) document, and are not redefined
thousands of times. A file is rewritten only when its content changes.
"""
import os
import re
import sys

ENTRY = re.compile(r'(@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*)([^,\s{}()"#%\'=]+)([ \t]*,)')
XREF = re.compile(r'(\bcrossref\s*=\s*[{"]\s*)([^}"\s]+)', re.IGNORECASE)
STRING = re.compile(r'@([ \t]*)string([ \t]*[{(])', re.IGNORECASE)
SPECIAL = {"string", "comment", "preamble"}


def corpus_files(root):
    order = []
    crypto = os.path.join(root, "cryptobib")
    for name in ("abbrev0.bib", "crypto_misc.bib", "crypto_conf_list.bib"):
        order.append(os.path.join(crypto, name))
    for sub in ("cmlbib", "thesis", "bibliotex"):
        found = []
        for dirpath, _, files in os.walk(os.path.join(root, sub)):
            found += [os.path.join(dirpath, f) for f in files if f.endswith(".bib")]
        order += sorted(found)
    return [p for p in order if os.path.isfile(p)]


def read_base(root):
    parts = []
    for path in corpus_files(root):
        with open(path, "rb") as f:
            data = f.read().replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if data and not data.endswith(b"\n"):
            data += b"\n"
        parts.append(data)
    return b"".join(parts).decode("utf-8", errors="surrogateescape")


def replica(text, r):
    sfx = "-r%d" % r

    def key(m):
        if m.group(2).lower() in SPECIAL:
            return m.group(0)
        return m.group(1) + m.group(3) + sfx + m.group(4)

    text = ENTRY.sub(key, text)
    text = XREF.sub(lambda m: m.group(1) + m.group(2) + sfx, text)
    return STRING.sub(lambda m: "@" + m.group(1) + "comment" + m.group(2), text)


def build(base, target):
    out, size, r = [], 0, 0
    while size < target:
        piece = (base if r == 0 else replica(base, r)).encode("utf-8", errors="surrogateescape")
        if size + len(piece) > target:
            cut = piece.rfind(b"\n@", 0, target - size)
            piece = piece[: cut + 1] if cut > 0 else b""
            out.append(piece)
            break
        out.append(piece)
        size += len(piece)
        r += 1
    return b"".join(out)


def write_if_changed(path, data):
    try:
        if os.path.getsize(path) == len(data):
            with open(path, "rb") as f:
                if f.read() == data:
                    return False
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    huge = "--huge" in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    root, outdir = args
    os.makedirs(outdir, exist_ok=True)
    base = read_base(root)
    targets = [("bench-50.bib", 50_000_000)] + ([("bench-200.bib", 200_000_000)] if huge else [])
    for name, target in targets:
        path = os.path.join(outdir, name)
        if os.path.exists(path) and os.path.getsize(path) <= target and \
                os.path.getsize(path) > target - 2_000_000 and \
                os.path.getmtime(path) >= os.path.getmtime(__file__):
            continue  # already built by this version of the script
        data = build(base, target)
        write_if_changed(path, data)
        print("built %s: %.1f MB" % (path, len(data) / 1e6), file=sys.stderr)
    write_if_changed(os.path.join(outdir, "base.bib"), base.encode("utf-8", errors="surrogateescape"))
    # homepage: first 50 entries of the thesis bibliography
    with open(os.path.join(root, "thesis", "anthology.bib"), "rb") as f:
        thesis = f.read().decode("utf-8", errors="surrogateescape")
    starts = [m.start() for m in re.finditer(r"(?m)^@", thesis)]
    home = thesis[: starts[50]] if len(starts) > 50 else thesis
    write_if_changed(os.path.join(outdir, "home-50.bib"), home.encode("utf-8", errors="surrogateescape"))


if __name__ == "__main__":
    main()
