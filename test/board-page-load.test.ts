/**
 * Opening a board page reads that board and the mission's milestones, not the evidence of every
 * board of the mission: the other boards' documents stay unloaded (the hub holds only what was read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { adminCredential, api, createInvite, redeem, type Person } from './access-fixture.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('the board page load', () => {
	let server: TestServer;
	let boards: { id: string }[];
	let lead: Person;

	beforeAll(async () => {
		server = await startTestServer();
		const created = async (path: string, body: unknown) => {
			const answer = await api(server, 'POST', path, { ...adminCredential, body });
			expect(answer.status, answer.text).toBe(201);
			return answer.body as { id: string };
		};
		const department = await created('/api/departments', { name: 'Department Alpha', code: 'ALPHA', colour: '#335577' });
		const mission = await created('/api/missions', { title: 'Kickstart growth' });
		lead = await redeem(server, (await createInvite(server, { departmentId: department.id, role: 'lead' })).token, 'Lena Lead');
		await created(`/api/missions/${mission.id}/milestones`, { title: 'Pilot live', owner: { name: 'Sam Owner' }, date: '2027-03-31' });
		boards = [];
		for (const title of ['Skills', 'Housing', 'Transport']) boards.push(await created(`/api/missions/${mission.id}/boards`, { title, departmentIds: [department.id] }));
	});
	afterAll(async () => {
		await server?.close();
	});

	it('loads only its own board document, and gives the mission’s milestones', async () => {
		const [own, ...others] = boards.map((board) => boardDocName(board.id));
		expect(server.backend.hub.loadedDocs.filter((name) => name.startsWith('board:'))).toEqual([]);
		const page = await api(server, 'GET', `/boards/${boards[0]!.id}/__data.json`, { cookie: lead.cookie });
		expect(page.status, page.text).toBe(200);
		expect(page.text).toContain('Pilot live');
		const loaded = server.backend.hub.loadedDocs;
		expect(loaded).toContain(own);
		for (const name of others) expect(loaded).not.toContain(name);
	});
});
