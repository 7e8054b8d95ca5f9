/** Every figure a scenario can report: its label, unit and which direction is better. */

export const figureCatalogue = {
	latencyP50Ms: { label: 'edit-to-peer p50', unit: 'ms', better: 'lower' },
	latencyP95Ms: { label: 'edit-to-peer p95', unit: 'ms', better: 'lower' },
	latencyP99Ms: { label: 'edit-to-peer p99', unit: 'ms', better: 'lower' },
	latencyMaxMs: { label: 'edit-to-peer max', unit: 'ms', better: 'lower' },
	appliedP99Ms: { label: 'edit-to-peer p99 incl. client apply', unit: 'ms', better: 'lower' },
	crossP99Ms: { label: 'cross-instance p99', unit: 'ms', better: 'lower' },
	deliveriesExpected: { label: 'deliveries expected', unit: '', better: 'none' },
	deliveriesReceived: { label: 'deliveries received', unit: '', better: 'higher' },
	deliveriesLost: { label: 'deliveries lost', unit: '', better: 'lower' },
	editsPerSec: { label: 'edits/s sent', unit: '/s', better: 'none' },
	connectP50Ms: { label: 'connect p50', unit: 'ms', better: 'lower' },
	connectP99Ms: { label: 'connect p99', unit: 'ms', better: 'lower' },
	syncP50Ms: { label: 'initial sync p50', unit: 'ms', better: 'lower' },
	syncP99Ms: { label: 'initial sync p99', unit: 'ms', better: 'lower' },
	coldReceivedP50Ms: { label: 'cold open: state received p50', unit: 'ms', better: 'lower' },
	coldReceivedLastMs: { label: 'cold open: last peer received', unit: 'ms', better: 'lower' },
	coldAppliedAllMs: { label: 'cold open: clients applied all (generator)', unit: 'ms', better: 'none' },
	coldPeersComplete: { label: 'cold open: peers with all records', unit: '', better: 'higher' },
	idleKbPerConnection: { label: 'server memory per idle connection', unit: 'KB', better: 'lower' },
	idleKbPerConnectionNext: { label: 'server memory per idle connection, the next ones (heap grown)', unit: 'KB', better: 'lower' },
	serverCpuSeconds: { label: 'server CPU', unit: 's', better: 'lower' },
	cpuUsPerDelivery: { label: 'server CPU per delivery', unit: 'µs', better: 'lower' },
	redisCpuSeconds: { label: 'redis-server CPU', unit: 's', better: 'lower' },
	databaseCpuSeconds: { label: 'PostgreSQL CPU (all its processes)', unit: 's', better: 'lower' },
	serverRssMb: { label: 'server RSS', unit: 'MB', better: 'lower' },
	serverPeakRssMb: { label: 'server peak RSS', unit: 'MB', better: 'lower' },
	reconnects: { label: 'peer reconnects', unit: '', better: 'lower' },
	generatorCpuPct: { label: 'generator CPU (of its cores)', unit: '%', better: 'none' },
	generatorLagP99Ms: { label: 'generator event-loop lag p99', unit: 'ms', better: 'none' },
	generatorCpuUsPerDelivery: { label: 'generator CPU per delivery', unit: 'µs', better: 'none' },
	browserFirstRowsMs: { label: 'browser: first rows on screen, first visit (empty IndexedDB)', unit: 'ms', better: 'lower' },
	browserInteractiveMs: { label: 'browser: board interactive, first visit (empty IndexedDB)', unit: 'ms', better: 'lower' },
	browserReturnFirstRowsMs: { label: 'browser: first rows on screen, return visit (IndexedDB copy)', unit: 'ms', better: 'lower' },
	browserReturnInteractiveMs: { label: 'browser: board interactive, return visit (IndexedDB copy)', unit: 'ms', better: 'lower' },
	browserRemoteEditMs: { label: 'browser: remote edit to row updated p50', unit: 'ms', better: 'lower' },
	browserRemoteEditP95Ms: { label: 'browser: remote edit to row updated p95', unit: 'ms', better: 'lower' },
	browserRemoteEditMaxMs: { label: 'browser: remote edit to row updated max', unit: 'ms', better: 'lower' },
	browserRowsPerEdit: { label: 'browser: rows re-rendered per remote edit (max)', unit: '', better: 'lower' },
	browserRemoteEdits: { label: 'browser: remote edits measured', unit: '', better: 'none' },
	historyApplyUsPerUpdate: { label: 'history: plain apply per update (CPU)', unit: 'µs', better: 'lower' },
	historyRulesUsPerUpdate: { label: 'history: protection check + ledger per update (CPU, added)', unit: 'µs', better: 'lower' },
	historyRulesOverheadPct: { label: 'history: check + ledger over a plain apply', unit: '%', better: 'lower' },
	rulesRuledCpuUsPerDelivery: { label: 'board document: server CPU per delivery', unit: 'µs', better: 'lower' },
	rulesPlainCpuUsPerDelivery: { label: 'plain document, same edits: server CPU per delivery', unit: 'µs', better: 'lower' },
	rulesCpuOverheadPct: { label: 'board rules: server CPU over the plain document', unit: '%', better: 'lower' },
	rulesRuledP99Ms: { label: 'board document: edit-to-peer p99', unit: 'ms', better: 'lower' },
	rulesPlainP99Ms: { label: 'plain document: edit-to-peer p99', unit: 'ms', better: 'lower' },
	rulesP99OverheadPct: { label: 'board rules: edit-to-peer p99 over the plain document', unit: '%', better: 'lower' },
	historyBytesPerUpdate: { label: 'history: kept bytes per update (update copy + ledger)', unit: 'B', better: 'lower' },
	historyMbPerBusyDay: { label: 'history: kept per 8-hour busy day (100 edits/s, hourly checkpoints)', unit: 'MB', better: 'lower' },
	historyLedgerEntries: { label: 'history: ledger entries written', unit: '', better: 'none' },
	historyAsAtOpenP50Ms: { label: 'history: 5,000-record board as at a past meeting, p50', unit: 'ms', better: 'lower' },
	historyAsAtOpenMaxMs: { label: 'history: 5,000-record board as at a past meeting, max', unit: 'ms', better: 'lower' },
	historyAsAtRebuildP50Ms: { label: 'history: 5,000-record board as at a moment no meeting marked (rebuilt), p50', unit: 'ms', better: 'lower' },
	historyAsAtRebuildMaxMs: { label: 'history: 5,000-record board as at a moment no meeting marked (rebuilt), max', unit: 'ms', better: 'lower' },
	historyAsAtLoopHeldMs: { label: 'history: longest the event loop was held while opening those (max delay)', unit: 'ms', better: 'lower' },
	historyReadingKb: { label: 'history: reading kept per board per meeting moment (gzipped JSON)', unit: 'KB', better: 'lower' }
} as const satisfies Record<string, { label: string; unit: string; better: 'lower' | 'higher' | 'none' }>;

export type FigureKey = keyof typeof figureCatalogue;
export type Figures = Partial<Record<FigureKey, number>>;

export const figureOrder = Object.keys(figureCatalogue) as FigureKey[];

/** Rounds for display and JSON: 3 significant decimals below 10, fewer above. */
export function roundFigure(value: number): number {
	if (!Number.isFinite(value)) return value;
	const magnitude = Math.abs(value);
	const digits = magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : 3;
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}
