// citationjs.js KIND FILE.bib: citation-js reads FILE.bib (plugin-bibtex)
// and writes CSL-JSON (KIND csl-json) or an HTML bibliography in APA
// (KIND html, plugin-csl/citeproc-js) to standard output. A peer in bench.sh.
const fs = require('fs');
const { Cite } = require('@citation-js/core');
require('@citation-js/plugin-bibtex');
require('@citation-js/plugin-csl');

const [kind, file] = process.argv.slice(2);
const cite = new Cite(fs.readFileSync(file, 'utf8'));
const out = kind === 'html'
  ? cite.format('bibliography', { format: 'html', template: 'apa', lang: 'en-US' })
  : JSON.stringify(cite.data);
process.stdout.write(out);
