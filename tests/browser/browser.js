#!/usr/bin/env node
// tests/browser/browser.js - pubrender's standalone page as a person sees it.
//
//   node browser.js PUBRENDER REPO_ROOT OUT_DIR [--update-screenshot]
//
// Renders data/pubs.bib (--standalone --highlight "Byungsoo Oh"), the tests' own
// al-folio-shaped file tests/corpus/alfolio-site.bib and, when ../shared is
// beside us, al-folio's example file ../shared/corpus/alfolio-papers.bib
// (--standalone --highlight "Albert Einstein" --group-by year) into OUT_DIR, opens each page in Debian's
// headless Chromium (/usr/bin/chromium, driven by playwright-core; Playwright
// gives every launch a fresh, empty user-data-dir) and checks:
//  - the DOM: the entries in order, the highlighted owner, the marks, the
//    legend, the abbreviation badge, the group headings (al-folio);
//  - what is seen: every entry visible, .pubrender-me bold, no horizontal
//    overflow at a 375px phone viewport, a dark background under
//    prefers-color-scheme: dark, the page complete with JavaScript disabled;
//  - every <details> opens when its <summary> is clicked (with and without JS);
//  - axe-core (axe.min.js injected) in light and dark mode: zero violations.
// Screenshots (desktop 1000px, phone 375px, desktop dark) go to OUT_DIR;
// --update-screenshot also copies pubs' desktop one to docs/screenshot-pubs.png.
// Each check prints "ok ..." or "FAIL ..."; the last line is "N passed,
// N failed"; exit status 1 on any failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { chromium } = require('playwright-core');

const argv = process.argv.slice(2);
const update = argv.includes('--update-screenshot');
const [BIN, ROOT, OUT] = argv.filter((a) => a !== '--update-screenshot');
if (!OUT) {
  console.error('usage: browser.js PUBRENDER REPO_ROOT OUT_DIR [--update-screenshot]');
  process.exit(2);
}
const CHROMIUM = process.env.PR_CHROMIUM || '/usr/bin/chromium';
// the flags of /work/.library/env/machines/c.md: no sandbox (root), no GPU,
// and no background connections, which the closed network refuses
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DESKTOP = { width: 1000, height: 800 };
const PHONE = { width: 375, height: 740 };

let npass = 0, nfail = 0;
function check(name, ok, detail) {
  if (ok) { npass++; console.log(`ok ${name}`); } else { nfail++; console.log(`FAIL ${name}${detail ? ': ' + detail : ''}`); }
  return ok;
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const show = (x) => JSON.stringify(x);

// ---- the pages -------------------------------------------------------------
const PAGES = [
  {
    name: 'pubs',
    bib: path.join(ROOT, 'data/pubs.bib'),
    args: ['--standalone', '--highlight', 'Byungsoo Oh'],
    async dom(page, t) {
      const entries = page.locator('li.pubrender-entry');
      t('6 entries', await entries.count() === 6, `${await entries.count()}`);
      const titles = await page.locator('li.pubrender-entry .pubrender-title').allTextContents();
      t('titles in reference order (newest first)', same(titles, [
        'Metis: Fast Automatic Distributed Training on Heterogeneous GPUs',
        'FastFlow: Accelerating Deep Learning Model Training with Smart Offloading of Input Data Pipeline',
        'PokéMem: Taming Wild Memory Consumers in Apache Spark',
        'DAPAS: Denoising Autoencoder to Prevent Adversarial attack in Semantic Segmentation',
        'Serverless-Enabled Permissioned Blockchain for Elastic Transaction Processing',
        'Enhancing Trust of Supply Chain Using Blockchain Platform with Robust Data Model and Verification Mechanism',
      ]), show(titles));
      t('"PokéMem" (NFC é) in the 3rd title', (titles[2] || '').startsWith('Pok\u00e9Mem'), show(titles[2]));
      const me = await page.locator('strong.pubrender-me').allTextContents();
      t('6 strong.pubrender-me, all "Byungsoo Oh"', same(me, Array(6).fill('Byungsoo Oh')), show(me));
      const mePerEntry = await entries.evaluateAll((lis) =>
        lis.map((li) => li.querySelectorAll('.pubrender-authors strong.pubrender-me').length));
      t('one highlighted author in each entry', same(mePerEntry, [1, 1, 1, 1, 1, 1]), show(mePerEntry));
      const marks = await entries.evaluateAll((lis) =>
        lis.map((li) => [...li.querySelectorAll('sup.pubrender-mark')].map((s) => s.textContent)));
      t('3 sup.pubrender-mark "*" in the Metis entry, none elsewhere',
        same(marks, [['*', '*', '*'], [], [], [], [], []]), show(marks));
      const metisMarked = await page.locator('#pubrender-um2024metis .pubrender-authors').evaluate((d) =>
        [...d.querySelectorAll('sup.pubrender-mark')].map((s) => s.previousElementSibling.textContent));
      t('the marks follow Um, Oh and Kang',
        same(metisMarked, ['Taegeon Um', 'Byungsoo Oh', 'Minyoung Kang']), show(metisMarked));
      const legends = await entries.evaluateAll((lis) =>
        lis.map((li) => [...li.querySelectorAll('.pubrender-legend')].map((s) => s.textContent)));
      t('the legend once, in the Metis entry',
        same(legends, [['(* = Equal Contribution)'], [], [], [], [], []]), show(legends));
      const abbr = await entries.evaluateAll((lis) =>
        lis.map((li) => [...li.querySelectorAll('.pubrender-abbr')].map((s) => s.textContent.trim())));
      t('the SMC abbr badge, on the last entry only', same(abbr, [[], [], [], [], [], ['SMC']]), show(abbr));
    },
  },
  {
    // the tests' own al-folio-shaped site (tests/corpus), always there
    name: 'alfolio-site',
    bib: path.join(ROOT, 'tests/corpus/alfolio-site.bib'),
    args: ['--standalone', '--highlight', 'Ines Varga', '--group-by', 'year',
      '--max-authors', '3', '--coauthors', path.join(ROOT, 'tests/corpus/alfolio-site-coauthors.yml'),
      '--venues', path.join(ROOT, 'tests/corpus/alfolio-site-venues.yml')],
    async dom(page, t) {
      const groups = await page.locator('.pubrender-group').evaluateAll((hs) =>
        hs.map((h) => [h.tagName, h.textContent,
          [...h.nextElementSibling.querySelectorAll(':scope > li.pubrender-entry')].map((li) => li.id)]));
      const want = [
        ['2025', ['varga2025preprint']], ['2024', ['sato2024sensing']],
        ['2023', ['Varga.PRL.2023']], ['2022', ['okafor2022mixing']],
        ['2021', ['varga2021currents']], ['2020', ['einstein2020old']],
        ['2019', ['varga2019tides']], ['2018', ['varga2018thesis']],
      ].map(([y, ids]) => ['H2', y, ids.map((k) => 'pubrender-' + k)]);
      t('8 year headings (h2), newest first, each over its entries', same(groups, want), show(groups));
      const me = await page.locator('li.pubrender-entry').evaluateAll((lis) =>
        lis.map((li) => [...li.querySelectorAll('strong.pubrender-me')].map((s) => s.textContent)));
      t('Varga highlighted once in every entry, however written',
        me.length === 8 && me.every((m) => m.length === 1 && /^I(nes|\.) Varga$/.test(m[0])), show(me));
      const more = page.locator('#pubrender-varga2025preprint details.pubrender-more-authors');
      const summary = await more.locator('summary').textContent();
      t('--max-authors 3: "and 2 more authors", closed', summary === 'and 2 more authors' &&
        !(await more.evaluate((d) => d.open)), summary);
      await more.locator('summary').click();
      const hidden = await more.locator('.pubrender-author').allTextContents();
      t('a click shows the hidden authors', (await more.evaluate((d) => d.open)) &&
        same(hidden, ['Anaïs Dubois', 'Jörg Müller']), show(hidden));
      await more.locator('summary').click();
      const co = await page.locator('a.pubrender-coauthor').evaluateAll((as) =>
        as.map((a) => a.textContent + ' ' + a.getAttribute('href')));
      t('co-author links from coauthors.yml', co.includes('Jörg Müller https://example.org/people/mueller') &&
        co.includes('Chidi Okafor https://example.org/people/okafor'), show(co));
      const jlp = await page.locator('#pubrender-okafor2022mixing a.pubrender-abbr').evaluate((a) =>
        [a.textContent, a.getAttribute('href'), getComputedStyle(a).backgroundColor]);
      t('JLP badge linked and coloured from venues.yml', same(jlp,
        ['JLP', 'https://example.org/jlp', 'rgb(0, 54, 159)']), show(jlp));
      const bib = page.locator('#pubrender-varga2021currents details.pubrender-bibtex');
      await bib.locator('summary').click();
      const code = await bib.locator('code').textContent();
      t('BibTeX toggle opens on the regenerated entry', code.startsWith('@book{varga2021currents,'),
        code.slice(0, 40));
      await bib.locator('summary').click();
      const legend = await page.locator('#pubrender-Varga\\.PRL\\.2023 .pubrender-legend').textContent();
      t('the annotation is the legend of the marks', legend.includes('† Corresponding author'), legend);
    },
  },
  {
    name: 'alfolio',
    bib: path.join(ROOT, '../shared/corpus/alfolio-papers.bib'),
    args: ['--standalone', '--highlight', 'Albert Einstein', '--group-by', 'year',
      '--max-authors', '3', '--coauthors', path.join(ROOT, '../shared/corpus/alfolio-coauthors.yml'),
      '--venues', path.join(ROOT, '../shared/corpus/alfolio-venues.yml')],
    async dom(page, t) {
      const groups = await page.locator('.pubrender-group').evaluateAll((hs) =>
        hs.map((h) => [h.tagName, h.textContent,
          [...h.nextElementSibling.querySelectorAll(':scope > li.pubrender-entry')].map((li) => li.id)]));
      const want = [
        ['1967', ['przibram1967letters']],
        ['1956', ['einstein1956investigations']],
        ['1950', ['einstein1950meaning']],
        ['1935', ['PhysRev.47.777']],
        ['1920', ['einstein1920relativity']],
        ['1905', ['einstein1905molekularkinetischen', 'einstein1905movement',
          'einstein1905electrodynamics', 'einstein1905photoelectriceffect']],
      ].map(([y, ids]) => ['H2', y, ids.map((k) => 'pubrender-' + k)]);
      t('6 year headings (h2), newest first, each over its entries', same(groups, want), show(groups));
      const n = await page.locator('li.pubrender-entry').count();
      t('9 entries', n === 9, `${n}`);
      const me = await page.locator('li.pubrender-entry').evaluateAll((lis) =>
        lis.map((li) => [...li.querySelectorAll('strong.pubrender-me')].map((s) => s.textContent)));
      t('Einstein highlighted once in every entry, however written',
        me.length === 9 && me.every((m) => m.length === 1 && /^A(lbert|\.) Einstein$/.test(m[0])), show(me));
      const h1 = await page.locator('h1').allTextContents();
      t('one h1', h1.length === 1, show(h1));
      // al-folio's vocabulary, as its own page shows it
      const more = page.locator('#pubrender-przibram1967letters details.pubrender-more-authors');
      const summary = await more.locator('summary').textContent();
      t('--max-authors 3: "and 2 more authors", closed', summary === 'and 2 more authors' &&
        !(await more.evaluate((d) => d.open)), summary);
      await more.locator('summary').click();
      const hidden = await more.locator('.pubrender-author').allTextContents();
      t('a click shows the hidden authors', (await more.evaluate((d) => d.open)) &&
        same(hidden, ['Hendrik Antoon Lorentz', 'Karl Przibram']), show(hidden));
      await more.locator('summary').click(); // closed again for the generic toggle check
      const co = await page.locator('a.pubrender-coauthor').evaluateAll((as) =>
        as.map((a) => a.textContent + ' ' + a.getAttribute('href')));
      t('co-author links from coauthors.yml', co.includes(
        'Erwin Schrödinger https://en.wikipedia.org/wiki/Erwin_Schr%C3%B6dinger'), show(co));
      const ajp = await page.locator('#pubrender-einstein1950meaning a.pubrender-abbr').evaluate((a) =>
        [a.textContent, a.getAttribute('href'), getComputedStyle(a).backgroundColor]);
      t('AJP badge linked and coloured from venues.yml', same(ajp,
        ['AJP', 'https://aapt.scitation.org/journal/ajp', 'rgb(0, 54, 159)']), show(ajp));
      const bib = page.locator('#pubrender-przibram1967letters details.pubrender-bibtex');
      await bib.locator('summary').click();
      const code = await bib.locator('code').textContent();
      t('BibTeX toggle opens on the regenerated entry', code.startsWith('@book{przibram1967letters,'),
        code.slice(0, 40));
      await bib.locator('summary').click();
      const legend = await page.locator('#pubrender-PhysRev\\.47\\.777 .pubrender-legend').textContent();
      t('the annotation is the legend of the marks', legend.includes('† Albert Einstein'), legend);
    },
  },
];

function render(p) {
  const out = path.join(OUT, `${p.name}.html`);
  // PR_TEST_WRAPPER: valgrind under make memcheck
  const wrap = (process.env.PR_TEST_WRAPPER || '').split(/\s+/).filter(Boolean);
  const cmd = [...wrap, BIN, ...p.args, '-o', out, p.bib];
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  const ok = r.status === 0 && fs.existsSync(out);
  check(`${p.name}: pubrender ${p.args.join(' ')} ${path.basename(p.bib)}`, ok,
    `exit ${r.status}${r.error ? ' ' + r.error.message : ''}: ${(r.stderr || '').slice(0, 500)}`);
  if (ok) {
    // the preview images the page names (al-folio's assets): a 1x1 GIF each, so the page
    // loads as it would on the site
    const gif = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
    for (const m of fs.readFileSync(out, 'utf8').matchAll(/class="pubrender-preview" src="([^"/]+)"/g))
      fs.writeFileSync(path.join(OUT, m[1]), gif);
  }
  return ok ? out : null;
}

// ---- checks on a loaded page -----------------------------------------------
async function axe(page, label, t) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const lines = [];
  for (const v of res.violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes.slice(0, 5)) {
      lines.push(`    at ${node.target.join(' ')}: ${node.failureSummary.replace(/\s*\n\s*/g, '; ')}`);
    }
    if (v.nodes.length > 5) lines.push(`    ... and ${v.nodes.length - 5} more`);
  }
  t(`axe-core ${label}: ${res.violations.length} violations (${res.testEngine.name} ${res.testEngine.version})`,
    res.violations.length === 0, '\n' + lines.join('\n'));
}

async function visibleEntries(page) {
  return page.locator('li.pubrender-entry').evaluateAll((lis) => lis.map((li) => {
    const r = li.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && li.innerText.trim().length > 0;
  }));
}

// Every <details>: closed at first, open after a click on its summary.
async function toggles(page, label, t) {
  const n = await page.locator('details').count();
  if (n === 0) {
    t(`${label}: <details> toggles open on click (none on this page yet)`, true);
    return;
  }
  const bad = [];
  for (let i = 0; i < n; i++) {
    const d = page.locator('details').nth(i);
    const cls = (await d.getAttribute('class')) || `#${i}`;
    if (await d.evaluate((e) => e.open)) { bad.push(`${cls}: open before the click`); continue; }
    const s = d.locator(':scope > summary');
    if (await s.count() !== 1) { bad.push(`${cls}: no summary`); continue; }
    await s.scrollIntoViewIfNeeded();
    await s.click();
    const open = await d.evaluate((e) => e.open);
    const shown = await d.evaluate((e) => [...e.children].filter((c) => c.tagName !== 'SUMMARY')
      .every((c) => c.getBoundingClientRect().height > 0));
    if (!open || !shown) bad.push(`${cls}: ${open ? 'content not shown' : 'not open'} after the click`);
  }
  t(`${label}: all ${n} <details> open on a click on their summary`, bad.length === 0, bad.join('; '));
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const pages = PAGES.filter((p) => {
    if (fs.existsSync(p.bib)) return true;
    console.log(`note: ${p.bib} is not there: page ${p.name} not checked`);
    return false;
  });
  const files = pages.map((p) => [p, render(p)]).filter(([, f]) => f);
  if (!files.length) return;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    for (const [p, file] of files) {
      const url = 'file://' + file;
      const ctx = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light' });
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) errors.push(`request to ${r.url()}`); });
      await page.goto(url);
      const t = (name, ok, detail) => check(`${p.name}: ${name}`, ok, detail);

      await p.dom(page, t);
      const vis = await visibleEntries(page);
      t('every entry visible with text', vis.length > 0 && vis.every(Boolean), show(vis));
      const weight = await page.locator('.pubrender-me').evaluateAll((els) =>
        els.map((e) => Number(getComputedStyle(e).fontWeight)));
      t('.pubrender-me is bold (computed font-weight >= 700)',
        weight.length > 0 && weight.every((w) => w >= 700), show(weight));

      await axe(page, 'light', t);
      await page.screenshot({ path: path.join(OUT, `${p.name}-desktop.png`), fullPage: true });
      const light = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor,
        getComputedStyle(document.body).color]);
      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor,
        getComputedStyle(document.body).color]);
      const lum = (c) => { const m = c.match(/[\d.]+/g).map(Number); return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]; };
      t(`prefers-color-scheme: dark gives a dark background (${light[0]} -> ${dark[0]}, text ${light[1]} -> ${dark[1]})`,
        dark[0] !== light[0] && lum(dark[0]) < 80 && lum(dark[1]) > lum(dark[0]), show({ light, dark }));
      await axe(page, 'dark', t);
      await page.screenshot({ path: path.join(OUT, `${p.name}-desktop-dark.png`), fullPage: true });
      await page.emulateMedia({ colorScheme: 'light' });

      await page.setViewportSize(PHONE);
      const over = await page.evaluate(() => {
        const vw = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > vw + 0.5 ||
            (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'))
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
        return { scroll: document.documentElement.scrollWidth, vw, wide: wide.slice(0, 5) };
      });
      t(`no horizontal overflow at ${PHONE.width}px (scrollWidth ${over.scroll})`,
        over.scroll <= over.vw && over.wide.length === 0, show(over));
      await page.screenshot({ path: path.join(OUT, `${p.name}-phone.png`), fullPage: true });
      await page.setViewportSize(DESKTOP);

      await toggles(page, 'with JavaScript', t);
      t('no script errors, no network requests', errors.length === 0, errors.join('; '));
      await ctx.close();

      // Readable without JavaScript: everything above is there with JS off.
      const noJs = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
      const page2 = await noJs.newPage();
      await page2.goto(url);
      const vis2 = await visibleEntries(page2);
      t(`without JavaScript: all ${vis.length} entries visible`, same(vis2, vis), show(vis2));
      await toggles(page2, 'without JavaScript', t);
      await noJs.close();
    }
  } finally {
    await browser.close();
  }
  if (update && files.some(([p]) => p.name === 'pubs')) {
    const dst = path.join(ROOT, 'docs/screenshot-pubs.png');
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.copyFileSync(path.join(OUT, 'pubs-desktop.png'), dst);
    console.log(`updated ${dst}`);
  }
}

main().catch((e) => { check('browser run', false, e.stack || String(e)); })
  .finally(() => {
    console.log(`${npass} passed, ${nfail} failed`);
    process.exitCode = nfail ? 1 : 0;
  });
