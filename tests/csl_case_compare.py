#!/usr/bin/env python3
"""csl_case_compare.py PUBRENDER FILE.bib... : case protection in titles,
pubrender's CSL-JSON against pandoc's own reading of the .bib.

A measurement, not a ctest (pandoc over ../shared/bench-corpus takes about
15 minutes). For every entry whose title has protected text on either side,
the protected segments are compared in order, whitespace and quote
characters ignored (those differ for other reasons):
  - ours: the text of each outermost <span class="nocase"> of the CSL title
    (BibTeX's protected groups, code, math);
  - pandoc (`pandoc -s -f bibtex -t json`, whose `-t csljson` writes no
    nocase span at all): each outermost Span that is unattributed (pandoc's
    reading of a brace group) or of class nocase, Math (as \\(..\\)) and Code.
Prints the count that agree and the disagreements by kind, with examples.
Run with Debian's python3 (/usr/bin/python3); needs pandoc.
"""
import collections
import json
import os
import re
import subprocess
import sys


def pandoc_segments(inlines):
    segs = []

    def text(xs):
        out = []
        for x in xs:
            t, c = x['t'], x.get('c')
            if t == 'Str':
                out.append(c)
            elif t in ('Space', 'SoftBreak', 'LineBreak'):
                out.append(' ')
            elif t == 'Math':
                out.append('\\(' + c[1] + '\\)')
            elif t == 'Code':
                out.append(c[1])
            elif t == 'Span' or t == 'Link':
                out.append(text(c[1]))
            elif t == 'Quoted':
                out.append(text(c[1]))
            elif t in ('Emph', 'Strong', 'SmallCaps', 'Superscript', 'Subscript',
                       'Strikeout', 'Underline'):
                out.append(text(c))
        return ''.join(out)

    def walk(xs):
        for x in xs:
            t, c = x['t'], x.get('c')
            if t == 'Span' and (c[0] == ['', [], []] or 'nocase' in c[0][1]):
                segs.append(text(c[1]))
            elif t in ('Math', 'Code'):
                segs.append(text([x]))
            elif t in ('Span', 'Link', 'Quoted'):
                walk(c[1])
            elif t in ('Emph', 'Strong', 'SmallCaps', 'Superscript', 'Subscript',
                       'Strikeout', 'Underline'):
                walk(c)

    walk(inlines)
    return segs


TAG = re.compile(r'(<span class="nocase">|<span style="font-variant:small-caps;">|</span>'
                 r'|</?(?:i|b|sup|sub)>)')


def our_segments(rich):
    segs, stack, cur = [], [], None
    for tok in TAG.split(rich):
        if tok == '<span class="nocase">':
            if 'nc' not in stack:
                cur = []
            stack.append('nc')
        elif tok.startswith('<span'):
            stack.append('sc')
        elif tok == '</span>':
            if stack and stack.pop() == 'nc' and 'nc' not in stack:
                segs.append(''.join(cur))
        elif TAG.fullmatch(tok or 'x'):
            pass
        elif 'nc' in stack:
            cur.append(tok)
    return segs


def norm(s):
    return re.sub('[\\s"\u201c\u201d\u2018\u2019\']+', '', s)


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: csl_case_compare.py PUBRENDER FILE.bib...')
    binary, files = sys.argv[1], sys.argv[2:]
    total = agree = 0
    kinds = collections.Counter()
    examples = collections.defaultdict(list)
    for f in files:
        try:
            p = subprocess.run(['pandoc', '-s', '-f', 'bibtex', '-t', 'json', f],
                               capture_output=True, timeout=600, check=True)
            meta = json.loads(p.stdout)['meta']
            ours = json.loads(subprocess.run([binary, '-f', 'csl-json', f],
                                             capture_output=True).stdout)
        except (subprocess.SubprocessError, ValueError) as e:
            print(f'skipped {f}: {e}', file=sys.stderr)
            continue
        raw = re.sub(r'\s+', '', open(f, encoding='utf-8', errors='replace').read())
        titles = {}
        for r in meta.get('references', {}).get('c', []):
            m = r['c']
            if m.get('id', {}).get('t') == 'MetaString' and \
                    m.get('title', {}).get('t') == 'MetaInlines':
                titles[m['id']['c']] = m['title']['c']
        for rec in ours:
            if 'title' not in rec or rec['id'] not in titles:
                continue
            a = [norm(x) for x in our_segments(rec['title'])]
            b = [norm(x) for x in pandoc_segments(titles[rec['id']])]
            if not a and not b:
                continue
            total += 1
            if a == b:
                agree += 1
                continue
            only_ours = list((collections.Counter(a) - collections.Counter(b)).elements())
            only_pandoc = list((collections.Counter(b) - collections.Counter(a)).elements())
            if not only_ours and all(len(x) <= 1 for x in only_pandoc):
                kind = 'pandoc protects a special character ({\\"U})'
            elif not only_pandoc and all(
                    re.search(r'\\[A-Za-z]+\{' + re.escape(x[:3]), raw) for x in only_ours):
                kind = "ours protects a command's argument (BibTeX: a level-1 group)"
            elif not only_pandoc:
                kind = 'ours protects more'
            elif not only_ours:
                kind = 'pandoc protects more'
            else:
                kind = 'both'
            kinds[kind] += 1
            if len(examples[kind]) < 5:
                examples[kind].append((os.path.basename(f), rec['id'], a, b))
    print(f'titles with protected text on either side: {total}, agree: {agree}')
    for kind, n in kinds.most_common():
        print(f'{n:6d}  {kind}')
        for e in examples[kind]:
            print('        ', e)


if __name__ == '__main__':
    main()
