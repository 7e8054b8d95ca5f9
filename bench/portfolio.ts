/**
 * How long the Missions Board view takes with a big workspace: 10 missions × 5 boards × 500 records,
 * each mission with 2 targets (40 actuals each) and 10 milestones linked to 20 records. Prints the
 * figures; not part of `npm run bench` (a one-off for docs/missions.md). Run after `npx vite build`:
 *   node bench/portfolio.ts
 */
import { listRecords, updateRecord, validRecords } from '../src/lib/board/board-doc.ts';
import { addDays, isoDateAt } from '../src/lib/board/dates.ts';
import { fillLargeBoard } from '../src/lib/board/large-board.ts';
import { boardDocName } from '../src/lib/protocol/doc-names.ts';
import { adminPrincipal } from '../server/auth/principal.ts';
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

async function timeApi(label: string): Promise<void> {
	const times: number[] = [];
	let body = '';
	for (let i = 0; i < 5; i++) {
		const start = performance.now();
		const response = await fetch(`${server.url}/api/portfolio`, { headers: { authorization: `Bearer ${testAdminToken}` } }).catch((error: unknown) => {
			throw new Error(`GET /api/portfolio failed: ${String((error as { cause?: unknown }).cause ?? error)}`);
		});
		body = await response.text();
		times.push(performance.now() - start);
	}
	console.log(`${label}: GET /api/portfolio first ${Math.round(times[0]!)} ms, then median ${Math.round(times.slice(1).sort((a, b) => a - b)[2]!)} ms (${Math.round(body.length / 1024)} KB)`);
}
await timeApi('documents in memory');
// Restart on the same data: every board document is loaded from the store by the first request.
const port = server.port;
await server.close();
server = await startTestServer({ dataDir: data.path, env: { PORT: String(port) } });
// fetch's pool still holds a keep-alive connection to the closed server: spend it on a health check.
await fetch(`${server.url}/healthz`).catch(() => undefined);
await timeApi('after a restart (documents loaded from SQLite)');

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
