/**
 * Where the wall's main thread goes on a big mission: seeds the sample mission plus `--dependencies`
 * (default 2,000) dependencies, opens the wall at 1920×1080 in real Chromium (the built app), and
 * prints the long tasks (PerformanceObserver 'longtask') and the functions with the most self time
 * in a CPU profile of the first `--seconds` (default 25). Needs `npm run build` first.
 *
 *   node bench/wall-profile.ts [--dependencies 2000] [--seconds 25] [--view map]
 */
import { parseArgs } from 'node:util';
import { createRecords } from '../src/lib/board/board-doc.ts';
import { boardDocName } from '../src/lib/protocol/doc-names.ts';
import type { CreateInput } from '../src/lib/protocol/records.ts';
import { adminPrincipal } from '../server/auth/principal.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startTestServer } from '../test/helpers/server.ts';
import { api, createWallDisplay, setPlaylist } from '../test/wall-fixtures.ts';

const { values } = parseArgs({ options: { dependencies: { type: 'string', default: '2000' }, seconds: { type: 'string', default: '25' }, view: { type: 'string', default: 'map' } } });
const added = Number(values.dependencies);
const ratings = ['green', 'amber', 'red', null] as const;

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] };

const server = await startTestServer();
const browser = await launchBrowser();
try {
	const sample = await api<{ sample: { missionId: string; boardIds: string[] } }>(server, '/api/workspace/sample', { method: 'POST', body: {} });
	const { missionId, boardIds } = sample.body.sample;
	const departmentIds = (await api<{ departments: Array<{ id: string }> }>(server, '/api/departments')).body.departments.map((d) => d.id);
	await setPlaylist(server, missionId, [{ view: values.view as 'map', seconds: 600 }]);
	const { token } = await createWallDisplay(server, missionId);
	const n = departmentIds.length;
	const inputs: CreateInput<'dependencies'>[] = Array.from({ length: added }, (_, i) => ({
		title: `Data feed ${i + 1} for workstream ${i % 40}`,
		providerDepartment: departmentIds[i % n]!,
		providerOwner: { name: 'Tom Hughes' },
		receiverDepartment: departmentIds[(i + 1 + (i % (n - 1))) % n]!,
		receiverOwner: { name: 'Aisha Bello' },
		deliverable: 'Monthly extract',
		neededBy: `2027-0${1 + (i % 6)}-15`,
		forecast: `2027-0${1 + ((i + 2) % 6)}-15`,
		status: i % 9 === 0 ? 'delivered' : 'agreed',
		rating: ratings[i % ratings.length]!
	}));
	for (let i = 0; i < inputs.length; i += 500) {
		await server.backend.hub.transact(boardDocName(boardIds[0]!), adminPrincipal, (doc) => {
			createRecords(doc, 'dependencies', inputs.slice(i, i + 500), { name: 'Administrator' });
		});
	}
	await new Promise((resolve) => setTimeout(resolve, 3_000));
	const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
	const page = await context.newPage();
	await page.addInitScript(() => {
		const w = window as unknown as { longTasks: Array<[number, number]> };
		w.longTasks = [];
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries()) w.longTasks.push([Math.round(entry.startTime), Math.round(entry.duration)]);
		}).observe({ type: 'longtask', buffered: true });
	});
	const cdp = await context.newCDPSession(page);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
	await cdp.send('Profiler.start');
	await page.goto(`${server.url}/wall?token=${encodeURIComponent(token)}`);
	const opened = Date.now();
	await page.locator('.freshness-live').waitFor({ timeout: 60_000 });
	await page.locator('.loading').waitFor({ state: 'detached', timeout: 120_000 });
	console.log(`boards loaded ${Date.now() - opened} ms after opening`);
	await page.waitForTimeout(Number(values.seconds) * 1000);
	const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
	const longTasks = await page.evaluate(() => (window as unknown as { longTasks: Array<[number, number]> }).longTasks);
	const statusNow = await page.locator('.wall').getAttribute('data-status');
	const byNode = new Map<number, number>();
	profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
	const selfTime = new Map<string, number>();
	for (const node of profile.nodes) {
		const { functionName, url, lineNumber } = node.callFrame;
		if (['(idle)', '(program)', '(root)'].includes(functionName)) continue;
		const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/_app\//, '')}:${lineNumber + 1}`;
		selfTime.set(key, (selfTime.get(key) ?? 0) + (byNode.get(node.id) ?? 0));
	}
	console.log(`wall (${values.view}), sample mission + ${added} dependencies, status now: ${statusNow}`);
	console.log(`long tasks (start ms, duration ms): ${JSON.stringify(longTasks)}`);
	console.log(`longest: ${Math.max(0, ...longTasks.map(([, d]) => d))} ms`);
	console.log('self time (ms), top 25:');
	for (const [key, us] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${String(Math.round(us / 1000)).padStart(7)}  ${key}`);
	if (process.env.PROFILE_OUT) (await import('node:fs')).writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
} finally {
	await browser.close();
	await server.close();
}
