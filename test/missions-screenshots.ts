/**
 * Screenshots of mission tracking on the sample mission, for docs/missions.md: the mission page,
 * a trajectory chart, the Missions Board view and its wall view. Not a test. Run after
 * `npx vite build`:  node test/missions-screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser, signedInContext } from './helpers/browser.ts';
import { startTestServer } from './helpers/server.ts';
import { addDays, isoDateAt } from '../src/lib/board/dates.ts';
import { api } from './wall-fixtures.ts';

/** A mission with one board, a target with a trajectory and monthly actuals, and a confidence judgement. */
async function addMission(server: { url: string }, title: string, metric: { name: string; unit: string; better: 'higher' | 'lower'; baseline: number; target: number; slope: number }, level: string) {
	const today = isoDateAt(Date.now());
	const mission = await api<{ id: string }>(server, '/api/missions', { method: 'POST', body: { title } });
	await api(server, `/api/missions/${mission.body.id}/boards`, { method: 'POST', body: { title: `${title}: programme board` } });
	await api(server, `/api/missions/${mission.body.id}/leadership`, { method: 'PATCH', body: { ceo: { name: title.startsWith('Safer') ? 'Sir Daniel Cole' : 'Dr Ruth Achebe' } } });
	const target = await api<{ id: string }>(server, `/api/missions/${mission.body.id}/targets`, {
		method: 'POST',
		body: { metric: { name: metric.name, unit: metric.unit, better: metric.better }, baseline: { date: addDays(today, -365), value: metric.baseline }, target: { date: addDays(today, 1460), value: metric.target }, source: 'Sample figures' }
	});
	const actuals = Array.from({ length: 12 }, (_, i) => ({ date: addDays(today, -335 + i * 30), value: Math.round((metric.baseline + metric.slope * (30 + i * 30) * metric.baseline) * 10) / 10 }));
	await api(server, `/api/missions/${mission.body.id}/targets/${target.body.id}/actuals`, { method: 'POST', body: actuals });
	await api(server, `/api/missions/${mission.body.id}/confidence`, { method: 'POST', body: { level, narrative: 'Sample judgement' } });
}

const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });
const server = await startTestServer();
const browser = await launchBrowser();
try {
	const sample = await api<{ sample: { missionId: string } }>(server, '/api/workspace/sample', { method: 'POST', body: {} });
	const missionId = sample.body.sample.missionId;
	await addMission(server, 'Safer streets', { name: 'Knife crime offences per 100,000', unit: 'offences', better: 'lower', baseline: 86, target: 43, slope: -0.02 }, 'green');
	await addMission(server, 'Break down barriers to opportunity', { name: 'Children school-ready at age 5', unit: '%', better: 'higher', baseline: 67, target: 75, slope: 0.001 }, 'red');
	const { page } = await signedInContext(browser, server.url);
	await page.setViewportSize({ width: 1440, height: 900 });
	await page.goto(`/missions/${missionId}`);
	await page.getByRole('heading', { name: 'Targets' }).waitFor();
	await page.screenshot({ path: `${out}mission-page.png`, fullPage: true });
	await page.locator('article.target').first().screenshot({ path: `${out}mission-trajectory-chart.png` });
	await page.goto('/portfolio');
	await page.getByRole('heading', { name: 'Missions Board' }).waitFor();
	await page.screenshot({ path: `${out}portfolio.png`, fullPage: true });

	const missionIds = (await api<{ missions: { id: string }[] }>(server, '/api/missions')).body.missions.map((mission) => mission.id);
	const display = await api<{ token: string }>(server, '/api/wall-displays', { method: 'POST', body: { name: 'Cabinet room', missionIds } });
	const wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
	const wall = await wallContext.newPage();
	await wall.goto(`${server.url}/wall/missions?token=${encodeURIComponent(display.body.token)}`);
	await wall.locator('.freshness.live').waitFor();
	await wall.keyboard.press('Space');
	await wall.screenshot({ path: `${out}wall-missions-board.png` });
	await wall.keyboard.press('ArrowRight');
	await wall.locator('.wall[data-screen="1"]').waitFor();
	await wall.waitForTimeout(300);
	await wall.screenshot({ path: `${out}wall-missions-mission.png` });
} finally {
	await browser.close();
	await server.close();
}
