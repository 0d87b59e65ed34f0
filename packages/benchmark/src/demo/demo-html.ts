/**
 * The demo's index.html: its sections in order, each with its pairs as thumbnails above its table, then the
 * plots. One static page (no scripts; only the plots and thumbnails next to it).
 */
import { type HtmlExample, type HtmlPlot, markdownToHtml } from '../report/html.js';
import type { DemoReportContent } from './write-demo-report.js';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * One pair as a figure: the unmasked reference and the masked probe, who they are, the score and a note.
 *
 * @example
 * pairFigure({ dataset: 'sample1.jpg', label: 0, reference: 'thumbs/a.jpg', probe: 'thumbs/probe-0.jpg', ... });
 */
export function pairFigure(e: HtmlExample): string {
  const img = (file: string | null, alt: string) =>
    file
      ? `<img src="${escapeHtml(file)}" alt="${escapeHtml(alt)}" height="112">`
      : '<span class="none">(no image)</span>';
  const scores = Object.entries(e.scores)
    .map(([m, s]) => `${escapeHtml(m)}: ${s.toFixed(4)}`)
    .join('<br>');
  const mistake = e.note && /false (accept|reject)/.test(e.note) ? ' mistake' : '';
  return `<figure class="pair ${e.label === 1 ? 'same' : 'diff'}${mistake}">${img(e.reference, e.referenceName)}${img(e.probe, e.probeName)}
<figcaption><b>${e.label === 1 ? 'same person' : 'different people'}</b> (${escapeHtml(e.dataset)})<br>
<small>${escapeHtml(e.referenceName)}<br>vs ${escapeHtml(e.probeName)}</small><br>${scores}${e.note ? `<br>${escapeHtml(e.note)}` : ''}</figcaption></figure>`;
}

/**
 * Renders the demo page from its report content (see demoReportContent), a summary paragraph and the plots.
 *
 * @example
 * await writeFile('mfr-demo/index.html', demoHtml({ content: demoReportContent(result), summary, plots }));
 */
export function demoHtml(page: { content: DemoReportContent; summary: string; plots: HtmlPlot[] }): string {
  const { content } = page;
  const sections = content.sections
    .map((section) => {
      const figures = section.examples.map(pairFigure).join('\n');
      return [
        `<section><h2>${escapeHtml(section.heading)}</h2>`,
        markdownToHtml(section.paragraphs.join('\n')),
        figures ? `<div class="pairs">\n${figures}\n</div>` : '',
        section.table.length > 0 ? markdownToHtml(section.table.join('\n')) : '',
        '</section>',
      ]
        .filter(Boolean)
        .join('\n');
    })
    .join('\n');
  const plots = page.plots
    .map(
      (p) =>
        `<figure class="plot"><img src="${escapeHtml(p.svg)}" alt="${escapeHtml(p.title)}"><figcaption>${escapeHtml(p.title)}</figcaption></figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(content.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}
.plot{display:inline-block;margin:.5em}.plot img{max-width:440px}
.pair{display:inline-block;margin:.5em;padding:.5em;border-radius:6px;vertical-align:top;width:250px}
.pair img{margin-right:4px}.same{background:#eaf6ea}.diff{background:#f8eaea}.mistake{outline:3px solid #c33}
</style></head><body>
<h1>${escapeHtml(content.title)}</h1>
<p>${escapeHtml(page.summary)}</p>
${markdownToHtml(content.intro.join('\n'))}
${sections}
<h2>Plots</h2>
${plots || '<p>No plots.</p>'}
${markdownToHtml(content.footer.join('\n'))}
</body></html>
`;
}
