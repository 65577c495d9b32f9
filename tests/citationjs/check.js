// check.js FILE.json... : each file is pubrender's CSL-JSON; citation-js
// must recognise it as CSL-JSON, find every field valid (its CSL cleaner,
// which drops or converts what is not CSL-JSON, must leave every record as
// it is), keep every record (same ids, in order), and format it with citeproc-js (APA, the plugin's default style) into a
// bibliography with one entry per record and no citeproc error text.
// Prints "ok FILE: N entries" or "FAIL FILE: why" per file; exit 1 on any
// failure. Run with NODE_PATH pointing at the node_modules that npm ci made.
'use strict';
const fs = require('fs');
const { Cite, plugins, util } = require('@citation-js/core');
require('@citation-js/plugin-csl');

// citeproc-js reports problems it works around on the console; collect
// them, so a record that makes it complain fails the check.
const complaints = [];
for (const level of ['log', 'info', 'warn', 'error']) {
  console[level] = (...args) => complaints.push(args.map(String).join(' '));
}

function check(file) {
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(data)) return 'not a JSON array';
  const type = plugins.input.type(data);
  if (type !== '@csl/list+object') return `citation-js reads it as ${type}, not @csl/list+object`;
  // citation-js's CSL-JSON validation: clean() drops a field of the wrong
  // shape (a name that is a string, a date that is no date, a type that is
  // not a CSL type, ...) and converts others; any change is reported.
  const cleaned = plugins.input.util.clean(util.deepCopy(data), false);
  const changed = [];
  data.forEach((rec, i) => {
    const got = cleaned[i] || {};
    for (const k of new Set([...Object.keys(rec), ...Object.keys(got)]))
      if (JSON.stringify(rec[k]) !== JSON.stringify(got[k]))
        changed.push(`${rec.id}.${k}: ${JSON.stringify(rec[k])} -> ${JSON.stringify(got[k])}`);
  });
  if (changed.length) return `citation-js's CSL cleaner changed ${changed.slice(0, 5).join('; ')}`;
  complaints.length = 0;
  const cite = new Cite(data);
  const ids = cite.data.map((r) => r.id);
  const want = data.map((r) => r.id);
  if (JSON.stringify(ids) !== JSON.stringify(want))
    return `records changed: wrote ${want.length} (${want.join(', ')}), citation-js has ${ids.length} (${ids.join(', ')})`;
  const html = cite.format('bibliography', { format: 'html', template: 'apa', lang: 'en-US' });
  const entries = (html.match(/<div [^>]*class="csl-entry"/g) || []).length;
  if (entries !== data.length) return `bibliography has ${entries} entries for ${data.length} records`;
  const shown = [...html.matchAll(/data-csl-entry-id="([^"]*)"/g)].map((m) => m[1]).sort();
  const unescape = (s) => s.replace(/&#38;/g, '&').replace(/&amp;/g, '&').replace(/&quot;|&#34;/g, '"')
    .replace(/&lt;|&#60;/g, '<').replace(/&gt;|&#62;/g, '>');
  if (JSON.stringify(shown.map(unescape)) !== JSON.stringify([...want].sort()))
    return `bibliography entries are for ${shown.join(', ')}, records are ${want.join(', ')}`;
  const err = html.match(/\[CSL STYLE ERROR[^\]]*\]/);
  if (err) return `citeproc: ${err[0]}`;
  const text = cite.format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' });
  if (!text.trim() && data.length) return 'empty text bibliography';
  if (complaints.length) return `citeproc complained: ${complaints.slice(0, 3).join(' | ')}`;
  return `${entries} entries`;
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  let res;
  try {
    res = check(file);
  } catch (e) {
    res = `exception: ${e && e.message ? e.message : e}`;
  }
  if (/^\d+ entries$/.test(res)) process.stdout.write(`ok ${file}: ${res}\n`);
  else {
    process.stdout.write(`FAIL ${file}: ${res}\n`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
