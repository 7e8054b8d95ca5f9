/**
 * How long the Missions Board view takes with a big workspace: 10 missions × 5 boards × 500 records,
 * each mission with 2 targets (40 actuals each) and 10 milestones linked to 20 records. Prints the
 * figures; not part of `npm run bench` (a one-off for docs/missions.md). Run after `npx vite build`:
 *   node bench/portfolio.ts            (add --browser for the Chromium timing of /portfolio)
 */
import { listRecords, updateRecord, validRecords } from '../src/lib/board/board-doc.ts';
import { addDays, isoDateAt } from '../src/lib/board/dates.ts';
import { fillLargeBoard } from '../src/lib/board/large-board.ts';
import { boardDocName } from '../src/lib/protocol/doc-names.ts';
import { adminPrincipal } from '../server/auth/principal.ts';
import { savedEvidenceCollection } from '../server/missions/saved-evidence.ts';
import { launchBrowser, signedInContext } from '../test/helpers/browser.ts';
import { startTestServer, tempDir, testAdminToken } from '../test/helpers/server.ts';

const shape = { missions: 10, boards: 5, records: 500, targets: 2, actuals: 40, milestones: 10 } as const;
const today = isoDateAt(Date.now());
const data = tempDir('mc-portfolio-');
let server = await startTestServer({ dataDir: data.path });
const { missions } = server.backend;
const started = performance.now();
for (let m = 0; m < shape.missions; m++) {
	const mission = await server.backend.workspace.createMission(adminPrincipal, { title: `Mission ${m + 1}` });
	const targetIds: string[] = [];
	for (let t = 0; t < shape.targets; t++) {
		const target = await missions.createTarget(adminPrincipal, mission.id, { metric: { name: `Metric ${t + 1}`, unit: '', better: 'higher' }, baseline: { date: addDays(today, -600), value: 100 }, target: { date: addDays(today, 900), value: 300 }, trajectory: [{ date: today, value: 180 }] });
		await missions.recordActuals(adminPrincipal, mission.id, target.id, Array.from({ length: shape.actuals }, (_, i) => ({ date: addDays(today, -590 + i * 14), value: 100 + i * 1.8 })), 'json');
		targetIds.push(target.id);
	}
	const milestoneIds: string[] = [];
	for (let s = 0; s < shape.milestones; s++) milestoneIds.push((await missions.createMilestone(adminPrincipal, mission.id, { title: `Milestone ${s + 1}`, date: addDays(today, 30 + s * 30), targetIds })).id);
	for (let b = 0; b < shape.boards; b++) {
		const board = await server.backend.workspace.createBoard(adminPrincipal, mission.id, { title: `Board ${b + 1}` });
		await server.backend.hub.transact(boardDocName(board.id), adminPrincipal, (doc) => {
			fillLargeBoard(doc, shape.records, { today });
			const dependencies = validRecords(listRecords(doc, 'dependencies')).slice(0, 2);
			const blockers = validRecords(listRecords(doc, 'blockers')).slice(0, 2);
			dependencies.forEach((record, i) => updateRecord(doc, 'dependencies', record.id, { milestones: [milestoneIds[(b * 2 + i) % milestoneIds.length]!] }, { name: 'Bench' }));
			blockers.forEach((record, i) => updateRecord(doc, 'blockers', record.id, { milestones: [milestoneIds[(b * 2 + i + 1) % milestoneIds.length]!] }, { name: 'Bench' }));
		});
	}
}
console.log(`filled ${shape.missions} missions × ${shape.boards} boards × ${shape.records} records in ${Math.round(performance.now() - started)} ms`);

const boardDocsLoaded = () => server.backend.hub.loadedDocs.filter((name) => name.startsWith('board:')).length;

async function timeApi(label: string): Promise<void> {
	const times: number[] = [];
	let body = '';
	let firstCpuMs = 0;
	let firstLoads = 0;
	for (let i = 0; i < 5; i++) {
		const start = performance.now();
		const cpu = process.cpuUsage();
		const loadedBefore = boardDocsLoaded();
		const response = await fetch(`${server.url}/api/portfolio`, { headers: { authorization: `Bearer ${testAdminToken}` } }).catch((error: unknown) => {
			throw new Error(`GET /api/portfolio failed: ${String((error as { cause?: unknown }).cause ?? error)}`);
		});
		body = await response.text();
		times.push(performance.now() - start);
		if (i === 0) {
			const used = process.cpuUsage(cpu);
			firstCpuMs = (used.user + used.system) / 1000;
			firstLoads = boardDocsLoaded() - loadedBefore;
		}
	}
	// The server runs in this process: its CPU time is a measure the machine's load does not change much.
	console.log(
		`${label}: GET /api/portfolio first ${Math.round(times[0]!)} ms (${Math.round(firstCpuMs)} ms CPU, ${firstLoads} board documents loaded), then median ${Math.round(times.slice(1).sort((a, b) => a - b)[2]!)} ms (${Math.round(body.length / 1024)} KB)`
	);
}

/** Restarts the server on the same data (every document is back on disk only). */
async function restart(): Promise<void> {
	const port = server.port;
	await server.close();
	server = await startTestServer({ dataDir: data.path, env: { PORT: String(port) } });
	// fetch's pool still holds a keep-alive connection to the closed server: spend it on a health check.
	await fetch(`${server.url}/healthz`).catch(() => undefined);
}
await timeApi('documents in memory');
// A/B in the same run and conditions: a restart without the saved board extracts (what every
// restart did before they existed: the first request loads every board document from SQLite), then
// a restart with them (the first request reads 50 small records and 50 history heads).
let saved = 0;
for (const { id } of await server.backend.store.listRecords(savedEvidenceCollection)) saved += (await server.backend.store.deleteRecord(savedEvidenceCollection, id)) ? 1 : 0;
console.log(`removed ${saved} saved board extracts`);
await restart();
await timeApi('after a restart, no saved extracts (documents loaded from SQLite)');
await restart();
await timeApi('after a restart, with the saved extracts');
if (!process.argv.includes('--browser')) {
	await server.close();
	data.remove();
	process.exit(0);
}

const browser = await launchBrowser();
try {
	const { page } = await signedInContext(browser, server.url);
	const times: number[] = [];
	for (let i = 0; i < 3; i++) {
		const start = performance.now();
		await page.goto('/portfolio');
		await page.locator('tr[data-mission]').nth(shape.missions - 1).waitFor();
		times.push(performance.now() - start);
	}
	console.log(`Chromium: /portfolio shows all ${shape.missions} missions in ${times.map((t) => Math.round(t)).join(', ')} ms (three loads)`);
} finally {
	await browser.close();
	await server.close();
	data.remove();
}
