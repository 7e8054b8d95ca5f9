/**
 * Keeps docs/performance.md up to date: the latest run's tables replace the block between the
 * `bench:latest` markers, and every run appends one row to the table between the `bench:history`
 * markers. Everything outside the markers is hand-written and left alone.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { historyHeader } from './report.ts';

export const markers = {
	latestStart: '<!-- bench:latest:start -->',
	latestEnd: '<!-- bench:latest:end -->',
	historyStart: '<!-- bench:history:start -->',
	historyEnd: '<!-- bench:history:end -->'
} as const;

export class PerformanceDocError extends Error {
	readonly code = 'PERFORMANCE_DOC_MARKERS_MISSING';
}

const skeleton = `# Performance

## Latest run

${markers.latestStart}
${markers.latestEnd}

## History

${markers.historyStart}
${markers.historyEnd}
`;

function row(cells: readonly string[]): string {
	return `| ${cells.map((text) => text.replace(/\|/g, '\\|')).join(' | ')} |`;
}

function between(text: string, start: string, end: string): { before: string; inside: string; after: string } {
	const from = text.indexOf(start);
	const to = text.indexOf(end);
	if (from < 0 || to < from) throw new PerformanceDocError(`docs/performance.md lacks the ${start} … ${end} markers`);
	return { before: text.slice(0, from + start.length), inside: text.slice(from + start.length, to), after: text.slice(to) };
}

export function updatePerformanceDoc(path: string, latestMarkdown: string, historyCells: string[]): void {
	let text = existsSync(path) ? readFileSync(path, 'utf8') : skeleton;
	const latest = between(text, markers.latestStart, markers.latestEnd);
	text = `${latest.before}\n${latestMarkdown}\n${latest.after}`;

	const history = between(text, markers.historyStart, markers.historyEnd);
	const existing = history.inside.split('\n').filter((line) => line.startsWith('|'));
	const rows = existing.length >= 2 ? existing : [row(historyHeader), row(historyHeader.map(() => '---'))];
	rows.push(row(historyCells));
	text = `${history.before}\n${rows.join('\n')}\n${history.after}`;

	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, text);
}
