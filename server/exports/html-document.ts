/**
 * A standalone, accessible HTML document for exports and the meeting pack: `lang`, a title, one
 * `h1`, landmark `main`, high-contrast text, and a print stylesheet (landscape A4, the table head
 * repeated on every page, rows never split). Everything interpolated goes through `escapeHtml`.
 */

import { createHash } from 'node:crypto';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => entities[char]!);
}

const styles = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0b0c0c; background: #fff; }
body { margin: 1.5rem; line-height: 1.4; }
h1 { font-size: 1.75rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
.meta { color: #3b3f42; margin: 0 0 1rem; }
.meta dt { font-weight: 600; display: inline; }
.meta dd { display: inline; margin: 0 1rem 0 .25rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
caption { text-align: left; font-weight: 600; font-size: 1rem; padding: .25rem 0 .5rem; }
th, td { border: 1px solid #6f777b; padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #e8eaeb; }
tbody th { font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.pre { white-space: pre-wrap; }
td time { white-space: nowrap; }
.empty { font-style: italic; color: #3b3f42; }
.rating { font-weight: 600; }
.rating::before { display: inline-block; margin-right: .3em; }
.rating-green::before { content: "●"; color: #00703c; }
.rating-amber::before, .rating-amber-green::before { content: "▲"; color: #a35400; }
.rating-red::before, .rating-amber-red::before { content: "■"; color: #b10e1e; }
@media print {
	@page { size: A4 landscape; margin: 12mm; }
	body { margin: 0; font-size: 9pt; }
	.table-wrap { overflow: visible; }
	table { font-size: 8pt; }
	thead { display: table-header-group; }
	tr, th, td { break-inside: avoid; }
	h2 { break-after: avoid; }
	section { break-before: auto; }
	a { color: inherit; text-decoration: none; }
}
`;

/**
 * The content-security policy of these documents: no scripts, nothing loaded, only this one
 * stylesheet (by its hash). The app's locked-down default for non-page answers would block it.
 */
export const htmlDocumentCsp = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(styles).digest('base64')}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

export interface HtmlDocument {
	title: string;
	/** Label → value pairs shown under the heading (board, filters, when it was made). */
	meta: readonly (readonly [string, string])[];
	/** Already-escaped HTML of the body. */
	body: string;
}

export function renderDocument({ title, meta, body }: HtmlDocument): string {
	const metaList = meta.map(([label, value]) => `<dt>${escapeHtml(label)}:</dt><dd>${escapeHtml(value)}</dd>`).join('');
	return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<dl class="meta">${metaList}</dl>
${body}
</main>
</body>
</html>
`;
}
