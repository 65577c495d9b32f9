// citationjs.js KIND FILE.bib: citation-js reads FILE.bib (plugin-bibtex)
// and writes CSL-JSON (KIND csl-json) or an HTML bibliography in the
// Vancouver style (KIND html, plugin-csl/citeproc-js) to standard output. A
// peer in bench.sh. Vancouver, a numeric style, and not APA: an author-date
// style disambiguates every group of items that cite alike ("Wang et al.
// 2020"), which is superlinear in the group's size, and the renamed copies
// in the benchmark file make each group four times as large (APA: 67 s on
// the 12.8 MB base, 185 s on base plus one copy; Vancouver: 27 s, 60 s).
const fs = require('fs');
const { Cite } = require('@citation-js/core');
require('@citation-js/plugin-bibtex');
require('@citation-js/plugin-csl');

const [kind, file] = process.argv.slice(2);
// generateGraph: false: without it every entry keeps a reference to the whole
// input text, and JSON.stringify(cite.data) writes it once per entry
// (RangeError: Invalid string length on a 1 MB file)
const cite = new Cite(fs.readFileSync(file, 'utf8'), { generateGraph: false });
const out = kind === 'html'
  ? cite.format('bibliography', { format: 'html', template: 'vancouver', lang: 'en-US' })
  : JSON.stringify(cite.data);
process.stdout.write(out);
