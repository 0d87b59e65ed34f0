/** index.html: the results table, the plots and example pairs with their scores, in one static page. */

/** A plot image in the report. */
export interface HtmlPlot {
  title: string;
  /** File name of the SVG, relative to the report. */
  svg: string;
}

/** An example pair shown with thumbnails. */
export interface HtmlExample {
  dataset: string;
  label: 0 | 1;
  /** Thumbnail file names relative to the report (null when not written). */
  reference: string | null;
  probe: string | null;
  referenceName: string;
  probeName: string;
  scores: Record<string, number>;
  /** Optional extra line (e.g. the rank of the true face in the demo). */
  note?: string;
}

/** Content of the report page. */
export interface HtmlReport {
  title: string;
  /** Short paragraph under the title (plain text). */
  summary: string;
  /** The results table as Markdown (rendered as simple HTML tables). */
  markdown: string;
  plots: HtmlPlot[];
  examples: HtmlExample[];
}

/** Text made safe for HTML element content and attribute values. */
export const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Renders the report page (no scripts, no external files besides the plots and thumbnails next to it).
 *
 * @example
 * await writeFile('out/index.html', reportHtml({ title: 'mfr bench', summary, markdown, plots, examples }));
 */
export function reportHtml(report: HtmlReport): string {
  const examples = report.examples
    .map((e) => {
      const img = (file: string | null, alt: string) =>
        file
          ? `<img src="${escapeHtml(file)}" alt="${escapeHtml(alt)}" height="112">`
          : '<span class="none">(no image)</span>';
      const scores = Object.entries(e.scores)
        .map(([m, s]) => `${escapeHtml(m)}: ${s.toFixed(3)}`)
        .join('<br>');
      return `<figure class="pair ${e.label === 1 ? 'same' : 'diff'}">${img(e.reference, e.referenceName)}${img(e.probe, e.probeName)}
<figcaption><b>${e.label === 1 ? 'same person' : 'different people'}</b> (${escapeHtml(e.dataset)})<br>
<small>${escapeHtml(e.referenceName)}<br>vs ${escapeHtml(e.probeName)}</small><br>${scores}${e.note ? `<br>${escapeHtml(e.note)}` : ''}</figcaption></figure>`;
    })
    .join('\n');
  const plots = plotFigures(report.plots);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title>
<style>
${REPORT_STYLE}
</style></head><body>
<h1>${escapeHtml(report.title)}</h1>
<p>${escapeHtml(report.summary)}</p>
${markdownToHtml(report.markdown)}
<h2>Plots</h2>
${plots || '<p>No plots.</p>'}
<h2>Example pairs</h2>
${examples || '<p>No examples.</p>'}
</body></html>
`;
}

/**
 * The small Markdown subset our reports use: `#`/`##` headings, `- ` bullets, pipe tables, paragraphs,
 * inline code and bold.
 *
 * @example
 * markdownToHtml('| a | b |\n| --- | --- |\n| 1 | 2 |'); // '<table>...'
 */
export function markdownToHtml(markdown: string): string {
  const out: string[] = [];
  const inline = (t: string) =>
    escapeHtml(t)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>');
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i].startsWith('|')) {
        rows.push(
          lines[i]
            .split('|')
            .slice(1, -1)
            .map((c) => c.trim()),
        );
        i++;
      }
      i--;
      const [head, , ...body] = rows;
      out.push(
        `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body
          .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
    } else if (line.startsWith('## ')) out.push(`<h2>${inline(line.slice(3))}</h2>`);
    else if (line.startsWith('# ')) out.push(`<h2>${inline(line.slice(2))}</h2>`);
    else if (line.startsWith('- ')) out.push(`<li>${inline(line.slice(2))}</li>`);
    else if (line.trim()) out.push(`<p>${inline(line)}</p>`);
  }
  return out.join('\n');
}

/** The style sheet of the report pages (the benchmark's and the demo's). */
export const REPORT_STYLE = `body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}
.plot{display:inline-block;margin:.5em}.plot img{max-width:440px}
.pair{display:inline-block;margin:.5em;padding:.5em;border-radius:6px;vertical-align:top;width:250px}
.pair img{margin-right:4px}.same{background:#eaf6ea}.diff{background:#f8eaea}.mistake{outline:3px solid #c33}`;

/**
 * The plots of a report page as figures with captions.
 *
 * @example
 * plotFigures([{ title: 'ROC', svg: 'plots/roc.svg' }]); // '<figure class="plot">...'
 */
export function plotFigures(plots: readonly { title: string; svg: string }[]): string {
  return plots
    .map(
      (p) =>
        `<figure class="plot"><img src="${escapeHtml(p.svg)}" alt="${escapeHtml(p.title)}"><figcaption>${escapeHtml(p.title)}</figcaption></figure>`,
    )
    .join('\n');
}
