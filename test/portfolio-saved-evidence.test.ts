/**
 * Saved per-board evidence (`server/missions/saved-evidence.ts`): an accepted board edit keeps the
 * board's saved extract current in the store; after a restart `GET /api/portfolio` answers from the
 * saved extracts without loading a single board document; an extract the document has moved past
 * (an update stored behind its back) or of an older shape is not trusted: the board is read again
 * and the answer is right.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRating } from '#lib/board/history.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { savedEvidenceCollection } from '../server/missions/saved-evidence.ts';
import { caller, storedDoc } from './access-fixture.ts';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';

type Portfolio = { missions: { id: string; counts: { redDependencies: number }; redDependencies: { ref: string }[] }[] };

describe('saved board evidence for the Missions Board view', () => {
	const data = tempDir('mc-saved-evidence-');
	let server: TestServer;
	let missionId: string;
	const boards: string[] = [];
	const dependencyIds: string[] = [];

	const call = caller(() => server);
	const redCount = async () => ((await call('GET', '/api/portfolio')) as Portfolio).missions.find((mission) => mission.id === missionId)!.counts.redDependencies;
	const loadedBoards = () => server.backend.hub.loadedDocs.filter((name) => name.startsWith('board:'));
	const saved = (boardId: string) => server.backend.store.getRecord(savedEvidenceCollection, boardId) as Promise<{ version: number; seq: number; extract: { redDependencies: unknown[] } } | undefined>;
	const newestSeq = async (boardId: string) => (await server.backend.store.history(boardDocName(boardId), { limit: 1 }))[0]?.seq ?? 0;

	beforeAll(async () => {
		server = await startTestServer({ dataDir: data.path });
		const provider = (await call('POST', '/api/departments', { name: 'Department for Education', code: 'DFE', colour: '#225588' })).id;
		const receiver = (await call('POST', '/api/departments', { name: 'Department for Work and Pensions', code: 'DWP', colour: '#885522' })).id;
		missionId = (await call('POST', '/api/missions', { title: 'Break down barriers to opportunity' })).id;
		for (const title of ['Childcare', 'Skills']) {
			const boardId = (await call('POST', `/api/missions/${missionId}/boards`, { title, departmentIds: [provider, receiver] })).id as string;
			boards.push(boardId);
			const dependency = await call('POST', `/api/boards/${boardId}/dependencies`, {
				title: `${title} data share`,
				providerDepartment: provider,
				providerOwner: { name: 'Tom Hughes' },
				receiverDepartment: receiver,
				receiverOwner: { name: 'Marcus Lee' },
				deliverable: 'Signed data-sharing agreement'
			});
			dependencyIds.push(dependency.id);
		}
	});
	afterAll(async () => {
		await server?.close();
		data.remove();
	});

	it('keeps each board’s saved extract current as its edits are accepted', async () => {
		const ref = ((await call('GET', `/api/boards/${boards[0]}/dependencies`)) as { records: { ref: string }[] }).records[0]!.ref;
		await call('POST', `/api/boards/${boards[0]}/dependencies/${ref}/ratings`, { rating: 'red', narrative: 'The data share is stuck' });
		await expect.poll(async () => (await saved(boards[0]!))?.extract.redDependencies.length).toBe(1);
		await expect.poll(async () => (await saved(boards[0]!))?.seq).toBe(await newestSeq(boards[0]!));
		await expect.poll(async () => (await saved(boards[1]!))?.seq).toBe(await newestSeq(boards[1]!));
		expect(await redCount()).toBe(1);
	});

	it('answers the Missions Board view after a restart without loading any board document', async () => {
		await server.close();
		server = await startTestServer({ dataDir: data.path });
		expect(loadedBoards()).toEqual([]);
		expect(await redCount()).toBe(1);
		expect(loadedBoards()).toEqual([]);
	});

	it('reads the board again when its saved extract is behind the document or of another shape', async () => {
		// An update stored behind the hub's back (another instance that died before saving its extract).
		const docName = boardDocName(boards[1]!);
		const doc = await storedDoc(server, docName);
		const before = Y.encodeStateVector(doc);
		setRating(doc, dependencyIds[1]!, { rating: 'red', narrative: 'Slipping' }, { id: 'admin', name: 'Administrator' });
		await server.backend.store.appendUpdates(docName, [{ update: Y.encodeStateAsUpdate(doc, before), meta: { by: 'admin', at: Date.now() } }]);
		expect(loadedBoards()).toEqual([]);
		expect(await redCount()).toBe(2);
		expect(loadedBoards()).toEqual([docName]);
		expect((await saved(boards[1]!))?.seq).toBe(await newestSeq(boards[1]!));

		// A saved extract of an older shape is not trusted either.
		const first = (await saved(boards[0]!))!;
		await server.backend.store.putRecord(savedEvidenceCollection, boards[0]!, { ...first, version: first.version - 1, extract: { ...first.extract, redDependencies: [] } });
		expect(await redCount()).toBe(2);
		expect(loadedBoards()).toContain(boardDocName(boards[0]!));
	});
});
