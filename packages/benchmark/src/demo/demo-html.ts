/**
 * The demo's index.html: its sections in order, each with its pairs as thumbnails above its table, then the
 * plots. One static page (no scripts; only the plots and thumbnails next to it).
 */
import {
  escapeHtml,
  type HtmlExample,
  type HtmlPlot,
  markdownToHtml,
  plotFigures,
  REPORT_STYLE,
} from '../report/html.js';
import type { DemoReportContent } from './write-demo-report.js';

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
  const plots = plotFigures(page.plots);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(content.title)}</title>
<style>
${REPORT_STYLE}
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
