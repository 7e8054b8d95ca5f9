/** Renders a run as aligned text for the terminal and as Markdown tables for docs/performance.md. */
import { figureCatalogue, figureOrder, roundFigure, type FigureKey } from './figures.ts';
import { figureOf, ratio, resultOf, type RunReport, type ScenarioReport } from './run-report.ts';
import { allServerKinds, serverKinds, type ServerKind } from './servers.ts';
import { editScenarios, type TargetCheck } from './targets.ts';

const baselines: ServerKind[] = [serverKinds.yWebsocket, serverKinds.hocuspocus];
const shortName: Record<ServerKind, string> = { ours: 'ours', 'y-websocket': 'y-ws', hocuspocus: 'hp' };

function format(value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) return '—';
	return roundFigure(value).toLocaleString('en', { maximumFractionDigits: 3 });
}

function formatRatio(value: number | undefined): string {
	return value === undefined ? '—' : `×${value.toFixed(2)}`;
}

function presentFigures(scenario: ScenarioReport): FigureKey[] {
	return figureOrder.filter((key) => scenario.results.some((result) => result.figures[key] !== undefined));
}

function cell(scenario: ScenarioReport, server: ServerKind, key: FigureKey): string {
	const result = resultOf(scenario, server);
	if (!result || result.status !== 'ok') return '—';
	const flag = result.untrustworthy.includes(key) ? ' ⚠' : '';
	return format(figureOf(scenario, server, key)) + flag;
}

/** Header and rows of one scenario's comparison table. */
export function scenarioTable(scenario: ScenarioReport): string[][] {
	const header = ['figure', 'ours'];
	for (const baseline of baselines) header.push(baseline, `ours/${shortName[baseline]}`);
	const rows = presentFigures(scenario).map((key) => {
		const { label, unit } = figureCatalogue[key];
		const row = [unit ? `${label} (${unit})` : label, cell(scenario, serverKinds.ours, key)];
		for (const baseline of baselines) row.push(cell(scenario, baseline, key), formatRatio(ratio(scenario, key, baseline)));
		return row;
	});
	return [header, ...rows];
}

/** Lines under a table: servers that did not run, and warnings. */
export function scenarioNotes(scenario: ScenarioReport): string[] {
	const notes: string[] = [];
	for (const server of allServerKinds) {
		const result = resultOf(scenario, server);
		if (!result) continue;
		if (result.status !== 'ok') notes.push(`${server}: ${result.status === 'failed' ? 'FAILED' : 'not available'}: ${result.reason ?? ''}`);
		for (const warning of result.warnings) notes.push(`${server}: ⚠ ${warning}`);
	}
	return notes;
}

/** Per-second p99 of each server (steady-load scenarios), one line each, so periodic stalls show. */
export function seriesLines(scenario: ScenarioReport): string[] {
	const lines: string[] = [];
	const numbers = (values: readonly number[]) => values.map((value) => (value >= 100 ? value.toFixed(0) : value.toFixed(1))).join(' ');
	for (const result of scenario.results) {
		if (!result.series || result.series.count.every((count) => count === 0)) continue;
		lines.push(`${result.server}: p99 ms per second: ${numbers(result.series.p99Ms)}`);
		if (result.series.crossP99Ms) lines.push(`${result.server}: cross-instance p99 ms per second: ${numbers(result.series.crossP99Ms)}`);
	}
	return lines;
}

export function alignedTable(rows: string[][]): string {
	const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
	return rows
		.map((row, index) => {
			const line = row.map((text, column) => (column === 0 ? text.padEnd(widths[column] ?? 0) : text.padStart(widths[column] ?? 0))).join('  ');
			return index === 0 ? `${line}\n${'-'.repeat(line.length)}` : line;
		})
		.join('\n');
}

export function markdownTable(rows: string[][]): string {
	const [header, ...body] = rows;
	if (!header) return '';
	const escape = (text: string) => text.replace(/\|/g, '\\|');
	return [
		`| ${header.map(escape).join(' | ')} |`,
		`| ${header.map((_, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
		...body.map((row) => `| ${row.map(escape).join(' | ')} |`)
	].join('\n');
}

function targetLine(check: TargetCheck): string {
	const mark = check.met === undefined ? '·' : check.met ? '✔' : '✘';
	return `${mark} ${check.target}: ${check.measured}`;
}

export function consoleReport(report: RunReport, targets: TargetCheck[]): string {
	const parts = [`\nMission Control benchmark — ${report.startedAt} — ${report.command}${report.rounds > 1 ? ` (medians of ${report.rounds} rounds)` : ''}`, `${report.machine.cpu}, ${report.machine.cores} cores; ${report.machine.placement}`];
	for (const scenario of report.scenarios) {
		parts.push(`\n== ${scenario.title} (${scenario.name}): ${scenario.description}`);
		if (scenario.results.some((result) => result.status === 'ok')) parts.push(alignedTable(scenarioTable(scenario)));
		parts.push(...scenarioNotes(scenario).map((note) => `  ${note}`));
		parts.push(...seriesLines(scenario).map((line) => `  ${line}`));
	}
	for (const { scenario, figure, values, median } of report.roundByRound ?? []) {
		const { label, unit } = figureCatalogue[figure];
		parts.push(`\n${scenario}: ${label}, round by round: ${values.join(' · ')} ${unit} (median ${median})`);
	}
	parts.push('\nTargets (ours):', ...targets.map((check) => `  ${targetLine(check)}`));
	parts.push('\n⚠ = the load generator could not measure this figure faithfully (see the warning under its table).');
	return parts.join('\n');
}

export function markdownReport(report: RunReport, targets: TargetCheck[]): string {
	const parts = [
		`Run of ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, commit \`${report.commit}\`, command \`${report.command}\`${report.rounds > 1 ? ` (medians of ${report.rounds} rounds)` : ''}.`,
		`Machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memoryGb} GB, ${report.machine.os}, Node ${report.machine.node}; ${report.machine.placement}.`
	];
	for (const scenario of report.scenarios) {
		parts.push(`#### ${scenario.title}\n\n${scenario.description}.`);
		if (scenario.results.some((result) => result.status === 'ok')) parts.push(markdownTable(scenarioTable(scenario)));
		const notes = scenarioNotes(scenario);
		if (notes.length > 0) parts.push(notes.map((note) => `- ${note}`).join('\n'));
		// The per-second series of the cross-instance scenarios (the others are in the JSON results).
		const series = scenario.results.some((result) => result.series?.crossP99Ms) ? seriesLines(scenario) : [];
		if (series.length > 0) parts.push(`Per second of the window (by send time; the full series of every scenario is in \`bench/results/latest.json\`):\n\n${series.map((line) => `- ${line}`).join('\n')}`);
	}
	parts.push(`#### Targets (ours)\n\n${targets.map((check) => `- ${targetLine(check)}`).join('\n')}`);
	parts.push('⚠ marks a figure the load generator could not measure faithfully (its own event loop lagged or its core was saturated).');
	return parts.join('\n\n');
}

export const historyHeader = [
	'date (UTC)',
	'commit',
	'mode',
	'meeting p99 ms',
	'busy p99 ms',
	'busy CPU µs/delivery',
	'cold open last ms',
	'presence p99 ms',
	'cross-instance p99 ms',
	'idle KB/conn',
	'lost edits (ours)',
	'targets met'
] as const;

/** One history row; each figure as "ours / y-websocket / hocuspocus". */
export function historyRow(report: RunReport, targets: TargetCheck[]): string[] {
	const trio = (name: string, key: FigureKey) => {
		const scenario = report.scenarios.find((s) => s.name === name);
		return allServerKinds.map((server) => format(figureOf(scenario, server, key))).join(' / ');
	};
	const lost = report.scenarios
		.filter((scenario) => editScenarios.includes(scenario.name))
		.reduce((sum, scenario) => sum + (figureOf(scenario, serverKinds.ours, 'deliveriesLost') ?? 0), 0);
	const measured = targets.filter((check) => check.met !== undefined);
	return [
		report.startedAt.slice(0, 16).replace('T', ' '),
		report.commit,
		`${report.quick ? 'quick' : 'full'}${report.rounds > 1 ? ` ×${report.rounds}` : ''}`,
		trio('meeting', 'latencyP99Ms'),
		trio('busy-board', 'latencyP99Ms'),
		trio('busy-board', 'cpuUsPerDelivery'),
		trio('cold-open', 'coldReceivedLastMs'),
		trio('presence-storm', 'latencyP99Ms'),
		trio('cross-instance', 'latencyP99Ms'),
		trio('idle-memory', 'idleKbPerConnection'),
		String(lost),
		`${measured.filter((check) => check.met).length}/${measured.length}`
	];
}
