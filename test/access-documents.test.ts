/**
 * What the server does with document traffic per principal: read-only clients' writes never reach
 * the store or other peers, presence is the connection's own (the server sets who it is), wall
 * displays send no presence, and every accepted update is attributed to its person and time.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { api, buildAccessFixture, docClient, rejectedCount, storedDoc, type AccessFixture, type DocClient } from './access-fixture.ts';
import { eventually, rawSocket } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** An awareness message (y-websocket type 1) setting `state` for `clientId`. */
function awarenessMessage(clientId: number, clock: number, state: unknown): Buffer {
	const update = encoding.createEncoder();
	encoding.writeVarUint(update, 1);
	encoding.writeVarUint(update, clientId);
	encoding.writeVarUint(update, clock);
	encoding.writeVarString(update, JSON.stringify(state));
	const message = encoding.createEncoder();
	encoding.writeVarUint(message, 1);
	encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
	return Buffer.from(encoding.toUint8Array(message));
}

describe('documents: read-only, presence and attribution', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	const clients: DocClient[] = [];
	const open = (credential: Parameters<typeof docClient>[2]) => {
		const client = docClient(server, boardDocName(fixture.boardX.id), credential);
		clients.push(client);
		return client;
	};

	beforeAll(async () => {
		server = await startTestServer();
		fixture = await buildAccessFixture(server);
	});

	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.close();
	});

	it("a read-only client's writes (live edits and its initial sync) never reach the store or other peers", async () => {
		const editor = open({ cookie: fixture.editorA.cookie });
		await editor.synced;
		// A viewer whose copy already holds content (made offline): its sync step 2 carries it.
		const viewerDoc = new Y.Doc();
		viewerDoc.getMap('probe').set('viewer offline edit', 1);
		const before = await rejectedCount(server, 'read_only');
		const viewer = docClient(server, boardDocName(fixture.boardX.id), { cookie: fixture.viewerA.cookie });
		clients.push(viewer);
		Y.applyUpdate(viewer.doc, Y.encodeStateAsUpdate(viewerDoc));
		await viewer.synced;
		const wall = open({ token: fixture.wall.token });
		await wall.synced;
		viewer.doc.getMap('probe').set('viewer live edit', 2);
		wall.doc.getMap('probe').set('wall live edit', 3);
		viewer.doc.getText('notes').insert(0, 'viewer text');
		await eventually(async () => expect(await rejectedCount(server, 'read_only')).toBeGreaterThanOrEqual(before + 4));
		// The editor's later edit reaches both read-only clients: anything they sent before was processed, and dropped.
		editor.doc.getMap('probe').set('editor edit', 4);
		await eventually(() => {
			expect(viewer.doc.getMap('probe').get('editor edit')).toBe(4);
			expect(wall.doc.getMap('probe').get('editor edit')).toBe(4);
		});
		const othersOf = { 'viewer offline edit': [editor, wall], 'viewer live edit': [editor, wall], 'wall live edit': [editor, viewer] };
		for (const [key, others] of Object.entries(othersOf)) for (const other of others) expect(other.doc.getMap('probe').has(key)).toBe(false);
		expect(editor.doc.getText('notes').toString()).toBe('');
		const stored = await storedDoc(server, boardDocName(fixture.boardX.id));
		expect(stored.getMap('probe').toJSON()).not.toHaveProperty('viewer offline edit');
		expect(stored.getMap('probe').toJSON()).not.toHaveProperty('viewer live edit');
		expect(stored.getMap('probe').toJSON()).not.toHaveProperty('wall live edit');
		expect(stored.getText('notes').toString()).toBe('');
		// Nothing from the read-only principals is in the history either.
		const authors = new Set((await server.backend.store.history(boardDocName(fixture.boardX.id), { limit: 1000 })).map((entry) => entry.by));
		expect(authors.has(fixture.viewerA.principalId)).toBe(false);
		expect(authors.has(`wall:${fixture.wall.id}`)).toBe(false);
	});

	it('presence carries who the connection is, whatever the client claims', async () => {
		const editor = open({ cookie: fixture.editorA.cookie });
		const lead = open({ cookie: fixture.lead.cookie });
		await Promise.all([editor.synced, lead.synced]);
		editor.provider.awareness.setLocalStateField('user', { name: fixture.lead.name, id: fixture.lead.principalId, role: 'lead', color: '#ff0000' });
		editor.provider.awareness.setLocalStateField('cursor', { recordId: 'DEP-1' });
		await eventually(() => {
			const seen = lead.provider.awareness.getStates().get(editor.doc.clientID);
			expect(seen).toEqual({
				user: { id: fixture.editorA.principalId, name: fixture.editorA.name, role: 'editor', department: fixture.departments.a, color: '#ff0000' },
				cursor: { recordId: 'DEP-1' }
			});
		});
	});

	it("a connection cannot set or clear another connection's presence", async () => {
		const lead = open({ cookie: fixture.lead.cookie });
		const observer = open({ cookie: fixture.editorA.cookie });
		await Promise.all([lead.synced, observer.synced]);
		lead.provider.awareness.setLocalStateField('cursor', { recordId: 'ACT-1' });
		await eventually(() => expect(observer.provider.awareness.getStates().get(lead.doc.clientID)).toMatchObject({ cursor: { recordId: 'ACT-1' } }));
		const intruder = await rawSocket(`${server.wsUrl}/yjs/${encodeURIComponent(boardDocName(fixture.boardX.id))}`, { cookie: fixture.viewerA.cookie });
		const leadClock = lead.provider.awareness.meta.get(lead.doc.clientID)?.clock ?? 0;
		intruder.send(awarenessMessage(lead.doc.clientID, leadClock + 10, { user: { name: 'Spoofed' }, cursor: { recordId: 'FAKE' } }));
		intruder.send(awarenessMessage(lead.doc.clientID, leadClock + 11, null));
		// The intruder's own state is accepted (stamped with the viewer), which proves its messages were processed.
		intruder.send(awarenessMessage(424242, 1, { cursor: { recordId: 'MINE' } }));
		await eventually(() => expect(observer.provider.awareness.getStates().get(424242)).toMatchObject({ user: { id: fixture.viewerA.principalId, name: fixture.viewerA.name } }));
		expect(observer.provider.awareness.getStates().get(lead.doc.clientID)).toMatchObject({ cursor: { recordId: 'ACT-1' }, user: { id: fixture.lead.principalId } });
		intruder.close();
	});

	it('a wall display sends no presence', async () => {
		const wallSocket = await rawSocket(`${server.wsUrl}/yjs/${encodeURIComponent(boardDocName(fixture.boardX.id))}?token=${fixture.wall.token}`);
		const observer = open({ cookie: fixture.lead.cookie });
		await observer.synced;
		wallSocket.send(awarenessMessage(515151, 1, { user: { name: 'Wall' } }));
		// A viewer's presence sent after the wall's arrives; the wall's never does.
		const viewer = await rawSocket(`${server.wsUrl}/yjs/${encodeURIComponent(boardDocName(fixture.boardX.id))}`, { cookie: fixture.viewerA.cookie });
		viewer.send(awarenessMessage(616161, 1, { cursor: null }));
		await eventually(() => expect(observer.provider.awareness.getStates().has(616161)).toBe(true));
		expect(observer.provider.awareness.getStates().has(515151)).toBe(false);
		wallSocket.close();
		viewer.close();
	});

	it('every accepted update is attributed to its person and time, kept with the update log', async () => {
		const startedAt = Date.now();
		const editor = open({ cookie: fixture.editorA.cookie });
		await editor.synced;
		editor.doc.getMap('probe').set('attributed', 'edna');
		const token = ((await api(server, 'POST', '/api/tokens', { cookie: fixture.lead.cookie, body: { name: 'importer' } })).body as { token: string }).token;
		const script = open({ token });
		await script.synced;
		script.doc.getMap('probe').set('by script', 'lena');
		const docName = boardDocName(fixture.boardX.id);
		await eventually(async () => {
			const history = await server.backend.store.history(docName, { limit: 20 });
			const authors = history.filter((entry) => entry.at >= startedAt).map((entry) => entry.by);
			expect(authors).toContain(fixture.editorA.principalId);
			// An API token's edits are the person's.
			expect(authors).toContain(fixture.lead.principalId);
		});
		for (const entry of await server.backend.store.history(docName, { limit: 20 })) {
			expect(entry.at).toBeLessThanOrEqual(Date.now());
			expect(entry.by).toMatch(/^(admin|person:[A-Za-z0-9_-]+)$/);
		}
	});
});
