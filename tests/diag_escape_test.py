#!/usr/bin/python3
"""diag_escape_test.py PUBRENDER - error messages and diagnostics never carry
control characters to standard error, whatever they quote.

Each payload (a newline starting a GitHub Actions "::error" workflow
command, ESC sequences, CR, DEL, C1 controls, U+2028/2029, bidi overrides
and isolates, bytes that are not UTF-8) is fed through every source of
message text: a .bib (a key, a dropped link), pubrender.yml next to it (a
bad value, an unknown key), --venues and --coauthors files, a template
(a tag name) and the name of the .bib file. Checked on stderr: every line
is one diagnostic ("place: error|warning: ...") or one of the program's own
"pubrender: ..." lines, and holds none of those characters; the payload
shows up escaped (\\n, \\x1b, \\u202e)."""
import os
import re
import subprocess
import sys
import tempfile

PUBRENDER = sys.argv[1]

PAYLOADS = [
    "a\n::error file=x::injected",
    "b\x1b[2J\x1b]0;title\x07",
    "c\r\tpart",
    "d\x7fe",
    "f\u0085g\u009b1m",
    "h\u2028i\u2029j",
    "k\u202eevil\u202c",
    "l\u2066m\u2069",
    "n\u200fo\u061c",
]

# What a diagnostic line may not contain (as text after decoding; bytes
# that are not UTF-8 are checked separately).
BAD = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
LINE = re.compile(r"^(pubrender: |.+?(:\d+){0,2}: (error|warning): )")

failures = 0


def fail(what, detail):
    global failures
    failures += 1
    print(f"FAIL: {what}: {detail}")


def yaml_str(s):
    """s as a YAML double-quoted scalar (escapes for every control character)."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif o < 0x20 or 0x7f <= o <= 0x9f or o in (0x61c, 0x200e, 0x200f) or \
                0x2028 <= o <= 0x202e or 0x2066 <= o <= 0x2069:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def run(what, args, cwd, want_lines=1, want_text=None):
    p = subprocess.run([PUBRENDER] + args, cwd=cwd, capture_output=True)
    err = p.stderr
    if b"Sanitizer" in err or p.returncode not in (0, 1, 2):
        fail(what, f"exit {p.returncode}: {err[:400]!r}")
        return
    try:
        text = err.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(what, f"stderr is not UTF-8 ({e}): {err[:300]!r}")
        return
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        fail(what, f"stderr does not end with a newline: {text[-80:]!r}")
    diags = 0
    for line in lines:
        if BAD.search(line):
            fail(what, f"control character in {line!r}")
        elif not LINE.match(line):
            fail(what, f"not a diagnostic line: {line!r} (stderr {text!r})")
        diags += " error: " in line or " warning: " in line
    if diags < want_lines:
        fail(what, f"{diags} diagnostics, wanted {want_lines} or more: {text!r}")
    if want_text and want_text not in text:
        fail(what, f"{want_text!r} not in {text!r}")


def escaped(s):
    """How pubrender writes s in a message."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x80 and BAD.match(ch):
            out.append("\\x%02x" % o)
        elif BAD.match(ch):
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    return "".join(out)


GOOD = "@misc{good, title = {T}, year = 2020}\n"

with tempfile.TemporaryDirectory() as tmp:
    for n, p in enumerate(PAYLOADS):
        d = os.path.join(tmp, f"p{n}")
        os.makedirs(d)

        # .bib text: a link the renderer drops quotes the field; control
        # bytes in .bib text are read as spaces, the other characters stay
        with open(os.path.join(d, "a.bib"), "w", encoding="utf-8") as f:
            f.write(GOOD + "@misc{k%s, title = {T}, url = {javascript:%s}}\n@misc{k%s}\n" % (p, p, p))
        run(f"payload {n} in .bib text", ["a.bib"], d, 2)

        # the .bib file's name
        name = f"x{p}.bib"
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(GOOD + "@misc{broken}\n")
        run(f"payload {n} in a file name", [name], d, 1, escaped(name) + ":2: error:")
        run(f"payload {n} in a missing file name", ["no" + name], d, 1, escaped("no" + name))

        # pubrender.yml next to the .bib: a bad value, then an unknown key
        sub = os.path.join(d, "cfg")
        os.makedirs(sub)
        with open(os.path.join(sub, "a.bib"), "w") as f:
            f.write(GOOD)
        for what, yml in (("value", "format: %s\n" % yaml_str(p)),
                          ("key", "%s: 1\n" % yaml_str(p)),
                          ("list item", "highlight: [A, {%s: 1}]\n" % yaml_str(p))):
            with open(os.path.join(sub, "pubrender.yml"), "w", encoding="utf-8") as f:
                f.write(yml)
            run(f"payload {n} as a pubrender.yml {what}", ["a.bib"], sub, 1)
        os.remove(os.path.join(sub, "pubrender.yml"))

        # --venues and --coauthors
        with open(os.path.join(d, "venues.yml"), "w", encoding="utf-8") as f:
            f.write("V%s: %s\n" % (p.replace("\n", " "), yaml_str(p)))
        run(f"payload {n} in venues.yml", ["--venues", "venues.yml", "a.bib"], d, 1)
        with open(os.path.join(d, "coauthors.yml"), "w", encoding="utf-8") as f:
            f.write("%s: 5\n" % yaml_str("oh" + p))
        run(f"payload {n} in coauthors.yml", ["--coauthors", "coauthors.yml", "a.bib"], d, 1)

        # a template: a bad tag quotes its name
        tdir = os.path.join(d, "tpl", "html")
        os.makedirs(tdir)
        with open(os.path.join(tdir, "entry.mustache"), "w", encoding="utf-8") as f:
            f.write("{{#%s}}never closed\n" % p)
        run(f"payload {n} in a template", ["--template", os.path.join(d, "tpl"), "a.bib"], d, 1)

    # bytes that are not UTF-8 in a file name
    d = os.path.join(tmp, "bytes")
    os.makedirs(d)
    bad = b"x\xff\x9b[31m.bib"
    with open(os.path.join(os.fsencode(d), bad), "wb") as f:
        f.write(GOOD.encode() + b"@misc{broken}\n")
    run("bytes that are not UTF-8 in a file name", [os.fsdecode(bad)], d, 1,
        "x\\xff\\x9b[31m.bib:2: error:")

print("%s: %d failures" % ("FAIL" if failures else "ok", failures))
sys.exit(1 if failures else 0)
