/**
 * The accountable record against a stock y-websocket client: protected logs and recorded decisions
 * cannot be deleted or rewritten (the update is refused before it is stored or broadcast, only that
 * peer is closed, and it is counted); authors of log entries cannot be forged; every accepted change
 * is in the ledger, attributed to the principal the hub admitted; the stamps the pages read name the
 * real writer whatever the client wrote into `updatedBy`.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { addComment, createRecord, createRecords, readRecord, updateRecord } from '#lib/board/board-doc.ts';
import { correctDecision, setRating } from '#lib/board/history.ts';
import { recordMap } from '#lib/board/layout.ts';
import { closeCodes } from '#lib/protocol/close-codes.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { buildAccessFixture, docClient, rejectedCount, storedDoc, type AccessFixture, type DocClient } from './access-fixture.ts';
import { encodeUpdate } from '../server/hub/protocol.ts';
import { eventually } from './helpers/clients.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

describe('accountable record: protected logs, ledger and stamps (stock y-websocket clients)', () => {
	let server: TestServer;
	let world: AccessFixture;
	let docName: string;
	const clients: DocClient[] = [];
	const open = async (cookie: string) => {
		const client = docClient(server, docName, { cookie });
		clients.push(client);
		await client.synced;
		return client;
	};
	const me = (person: { name: string; principalId: string }) => ({ name: person.name, id: person.principalId });

	beforeAll(async () => {
		server = await startTestServer();
		world = await buildAccessFixture(server);
		docName = boardDocName(world.boardX.id);
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.close();
	});

	it('refuses deleting a decision, rewriting its text, or deleting a comment or a rating entry; others never see it; a correction works', async () => {
		const writer = await open(world.editorA.cookie);
		const watcher = await open(world.lead.cookie);
		const author = me(world.editorA);
		const decision = createRecord(writer.doc, 'decisions', { text: 'Fund the pilot in three regions', decidedOn: '2026-11-20', forum: 'Missions Board', decisionMakers: [author] }, author);
		const dependency = createRecord(writer.doc, 'dependencies', { title: 'Skills data share', providerDepartment: world.departments.a, receiverDepartment: world.departments.b, providerOwner: author, receiverOwner: author, deliverable: 'Monthly vacancy data' }, author);
		addComment(writer.doc, 'dependencies', dependency.id, { text: 'Agreed at the stocktake' }, author);
		setRating(writer.doc, dependency.id, { rating: 'amber', narrative: 'Data sharing agreement pending' }, author);
		await eventually(() => expect(readRecord(watcher.doc, 'decisions', decision.id)?.ok).toBe(true));
		await eventually(() => expect(recordMap(watcher.doc, 'dependencies', dependency.id)?.get('ratingHistory')).toHaveProperty('length', 1));
		await eventually(async () => expect(readRecord(await storedDoc(server, docName), 'dependencies', dependency.id)?.ok).toBe(true));

		const attacks: Array<[string, (doc: Y.Doc) => void]> = [
			['delete the decision', (doc) => doc.getMap('decisions').delete(decision.id)],
			['rewrite the decision text', (doc) => (recordMap(doc, 'decisions', decision.id)!.get('text') as Y.Text).insert(0, 'Do not ')],
			['overwrite decidedOn', (doc) => recordMap(doc, 'decisions', decision.id)!.set('decidedOn', '2020-01-01')],
			['delete the comment', (doc) => (recordMap(doc, 'dependencies', dependency.id)!.get('comments') as Y.Array<unknown>).delete(0, 1)],
			['replace the rating history', (doc) => recordMap(doc, 'dependencies', dependency.id)!.set('ratingHistory', new Y.Array())],
			['write a stamp', (doc) => doc.getMap('stamps').set(dependency.id, { updatedBy: { name: 'Someone else', id: 'person:x' }, updatedAt: 0 })],
			['forge a comment author', (doc) => (recordMap(doc, 'dependencies', dependency.id)!.get('comments') as Y.Array<unknown>).push([{ id: 'fake1', author: { name: 'Lena Lead', id: world.lead.principalId }, at: Date.now(), text: 'I approve' }])]
		];
		for (const [what, attack] of attacks) {
			const refusedBefore = await rejectedCount(server, 'protected');
			const attacker = await open(world.editorA.cookie);
			attack(attacker.doc);
			expect(await attacker.closed, what).toBe(closeCodes.changeRefused);
			expect(await rejectedCount(server, 'protected'), what).toBe(refusedBefore + 1);
			attacker.destroy();
		}
		const stored = await storedDoc(server, docName);
		for (const doc of [stored, watcher.doc]) {
			const kept = readRecord(doc, 'decisions', decision.id);
			expect(kept?.ok && kept.record.text).toBe('Fund the pilot in three regions');
			expect(kept?.ok && kept.record.decidedOn).toBe('2026-11-20');
			const dep = readRecord(doc, 'dependencies', dependency.id);
			expect(dep?.ok && dep.record.comments.map((c) => c.text)).toEqual(['Agreed at the stocktake']);
			expect(dep?.ok && dep.record.ratingHistory).toHaveLength(1);
		}
		// The writer's own connection is untouched and legitimate changes still flow.
		updateRecord(writer.doc, 'dependencies', dependency.id, { status: 'agreed' }, author);
		const correction = correctDecision(writer.doc, decision.id, { text: 'Fund the pilot in four regions' }, author);
		await eventually(() => expect(recordMap(watcher.doc, 'dependencies', dependency.id)?.get('status')).toBe('agreed'));
		await eventually(() => {
			const corrected = readRecord(watcher.doc, 'decisions', correction.id);
			expect(corrected?.ok && [corrected.record.text, corrected.record.supersedes]).toEqual(['Fund the pilot in four regions', decision.id]);
			const original = readRecord(watcher.doc, 'decisions', decision.id);
			expect(original?.ok && [original.record.text, original.record.status]).toEqual(['Fund the pilot in three regions', 'superseded']);
		});
	});

	it('a RAID import key is write-once: a stock client cannot move it to another record to hijack the next re-import', async () => {
		const upload = async (csv: string) => {
			const form = new FormData();
			form.set('file', new Blob([csv], { type: 'text/csv' }), 'risks.csv');
			form.set('register', 'risks');
			const response = await fetch(`${server.url}/api/boards/${world.boardX.id}/import`, { method: 'POST', headers: { origin: server.url, authorization: `Bearer ${testAdminToken}` }, body: form });
			expect(response.status, await response.clone().text()).toBe(200);
			return (await response.json()) as { rows: Array<{ action: string; ref?: string }> };
		};
		await upload('Key,Title,Owner,Likelihood,Impact\nR-1,Staff shortage,Ann Lee,H,M\n');
		const writer = await open(world.editorA.cookie);
		const author = me(world.editorA);
		const risks = () => [...(writer.doc.getMap('risks') as Y.Map<Y.Map<unknown>>).entries()];
		await eventually(() => expect(risks().some(([, map]) => map.get('importKey') === 'R-1')).toBe(true));
		const [importedId] = risks().find(([, map]) => map.get('importKey') === 'R-1')!;
		const target = createRecord(writer.doc, 'risks', { title: 'Someone else’s risk', owner: author }, author);
		await eventually(async () => expect(readRecord(await storedDoc(server, docName), 'risks', target.id)?.ok).toBe(true));

		const attacks: Array<[string, (doc: Y.Doc) => void]> = [
			['rewrite the key', (doc) => recordMap(doc, 'risks', importedId)!.set('importKey', 'R-2')],
			['remove the key', (doc) => recordMap(doc, 'risks', importedId)!.delete('importKey')],
			['move the key to another record', (doc) => doc.transact(() => {
				recordMap(doc, 'risks', importedId)!.delete('importKey');
				recordMap(doc, 'risks', target.id)!.set('importKey', 'R-1');
			})]
		];
		for (const [what, attack] of attacks) {
			const refusedBefore = await rejectedCount(server, 'protected');
			const attacker = await open(world.editorA.cookie);
			attack(attacker.doc);
			expect(await attacker.closed, what).toBe(closeCodes.changeRefused);
			expect(await rejectedCount(server, 'protected'), what).toBe(refusedBefore + 1);
			attacker.destroy();
		}
		// Held back behind a hole: the attacker writes the key on the other record while it is empty
		// (harmless on arrival), but first makes a change it never sends. Yjs would keep the write
		// pending and apply it, unchecked, whenever the hole filled. It is refused on arrival instead.
		{
			const refusedBefore = await rejectedCount(server, 'protected');
			const attacker = await open(world.editorA.cookie);
			const shadow = new Y.Doc();
			shadow.clientID = attacker.doc.clientID;
			Y.applyUpdate(shadow, Y.encodeStateAsUpdate(attacker.doc));
			const updates: Uint8Array[] = [];
			shadow.on('update', (update: Uint8Array) => updates.push(update));
			updateRecord(shadow, 'risks', target.id, { title: 'Never sent' }, author);
			recordMap(shadow, 'risks', target.id)!.set('importKey', 'R-1');
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, 0); // y-websocket's sync message
			syncProtocol.writeUpdate(encoder, updates[1]!);
			attacker.provider.ws!.send(encoding.toUint8Array(encoder));
			expect(await attacker.closed, 'held back behind a hole').toBe(closeCodes.changeRefused);
			expect(await rejectedCount(server, 'protected')).toBe(refusedBefore + 1);
			attacker.destroy();
		}
		const stored = await storedDoc(server, docName);
		expect(recordMap(stored, 'risks', importedId)?.get('importKey')).toBe('R-1');
		expect(recordMap(stored, 'risks', target.id)?.get('importKey')).toBeUndefined();
		// Re-importing row R-1 still updates the record it made, not the other one.
		await upload('Key,Title,Owner,Likelihood,Impact\nR-1,Staff shortage (updated),Ann Lee,H,H\n');
		const after = await storedDoc(server, docName);
		expect(readRecord(after, 'risks', importedId)?.ok && (readRecord(after, 'risks', importedId) as { record: { title: string } }).record.title).toBe('Staff shortage (updated)');
		expect((readRecord(after, 'risks', target.id) as { ok: true; record: { title: string } }).record.title).toBe('Someone else’s risk');
	});

	it('records every accepted change in the ledger, attributed to the admitted principal; stamps name the real writer', async () => {
		const writer = await open(world.editorA.cookie);
		const author = me(world.editorA);
		const created = createRecord(writer.doc, 'actions', { text: 'Send the revised cost model to HMT', owner: author, due: '2026-12-20' }, author);
		// A forged updatedBy, as a stock client may write it.
		writer.doc.transact(() => {
			const map = recordMap(writer.doc, 'actions', created.id)!;
			map.set('status', 'done');
			map.set('updatedBy', { name: 'Lena Lead', id: world.lead.principalId });
		});
		const text = () => recordMap(writer.doc, 'actions', created.id)!.get('description') as Y.Text;
		text().insert(0, 'Costs for the three pilot regions');
		await eventually(async () => {
			const entries = await server.backend.store.ledger(docName, { recordId: created.id });
			expect(entries.map((entry) => entry.changes.map((change) => change.field))).toEqual([['description'], ['status'], ['created']]);
		});
		const entries = await server.backend.store.ledger(docName, { recordId: created.id });
		for (const entry of entries) {
			expect(entry.by).toEqual({ id: world.editorA.principalId, name: world.editorA.name, department: world.departments.a });
			expect(entry.ref).toBe(created.ref);
			expect(entry.register).toBe('actions');
		}
		expect(entries[1]?.changes).toEqual([{ field: 'status', before: 'open', after: 'done' }]);
		expect(entries[0]?.changes[0]).toMatchObject({ field: 'description', before: '', after: 'Costs for the three pilot regions', inserted: 33, deleted: 0 });
		expect(entries[2]?.changes[0]).toEqual({ field: 'created', before: null, after: 'Send the revised cost model to HMT' });
		// Every reader sees the server's stamp, not the forged value.
		const watcher = await open(world.viewerA.cookie);
		await eventually(() => {
			const read = readRecord(watcher.doc, 'actions', created.id);
			expect(read?.ok && read.record.updatedBy).toEqual(author);
			expect(read?.ok && read.record.createdBy).toEqual(author);
		});
	});

	it('sends a change and its stamp to the other peers as one message, and the stamp to the writer', async () => {
		const writer = await open(world.editorA.cookie);
		const watcher = await open(world.viewerA.cookie);
		const author = me(world.editorA);
		let messages = 0;
		watcher.doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin === watcher.provider) messages++;
		});
		const created = createRecord(writer.doc, 'actions', { text: 'Confirm the pilot regions with DLUHC', owner: author, due: '2026-12-18' }, author);
		const stamped = (doc: Y.Doc) => (doc.getMap('stamps').get(created.id) as { createdBy?: { id: string } } | undefined)?.createdBy?.id;
		await eventually(() => {
			expect(stamped(watcher.doc)).toBe(world.editorA.principalId);
			expect(stamped(writer.doc)).toBe(world.editorA.principalId);
		});
		await new Promise((resolve) => setTimeout(resolve, 300));
		// The record and its stamp came in the same message (they are stored in the same write).
		expect(messages).toBe(1);
	});

	it('a giant update touching many records is accepted, described once per record, and stamped', async () => {
		const writer = await open(world.lead.cookie);
		const author = me(world.lead);
		createRecords(writer.doc, 'actions', Array.from({ length: 2_000 }, (_, i) => ({ text: `Action ${i}`, owner: author, due: '2026-12-31' })), author);
		await eventually(async () => {
			const entries = await server.backend.store.ledger(docName, { limit: 2_500 });
			expect(entries.filter((entry) => entry.by.id === world.lead.principalId && entry.changes[0]?.field === 'created')).toHaveLength(2_000);
		}, 20_000);
		const stored = await storedDoc(server, docName);
		expect(stored.getMap('stamps').size).toBeGreaterThanOrEqual(2_000);
	});
	it('applies nothing more from a peer once its change is refused: not a second copy, not a valid change sent after it', async () => {
		const writer = await open(world.editorA.cookie);
		const author = me(world.editorA);
		const dependency = createRecord(writer.doc, 'dependencies', { title: 'Closing window', providerDepartment: world.departments.a, receiverDepartment: world.departments.b, providerOwner: author, receiverOwner: author, deliverable: 'Data' }, author);
		addComment(writer.doc, 'dependencies', dependency.id, { text: 'Kept' }, author);
		await eventually(async () => expect(readRecord(await storedDoc(server, docName), 'dependencies', dependency.id)?.ok).toBe(true));

		// A stock websocket: three sync updates in one write, the first two refused, the third valid.
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(writer.doc));
		const before = Y.encodeStateVector(copy);
		(recordMap(copy, 'dependencies', dependency.id)!.get('comments') as Y.Array<unknown>).delete(0, 1);
		const refused = Y.encodeStateAsUpdate(copy, before);
		const valid = new Y.Doc();
		Y.applyUpdate(valid, Y.encodeStateAsUpdate(writer.doc));
		const validBefore = Y.encodeStateVector(valid);
		valid.getMap('closing-window').set('after-refusal', 'applied');
		const validUpdate = Y.encodeStateAsUpdate(valid, validBefore);
		const refusedBefore = await rejectedCount(server, 'protected');
		const socket = new WebSocket(`${server.wsUrl}/yjs/${docName}`, { headers: { cookie: world.editorA.cookie, origin: server.url } });
		const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
		await new Promise<void>((resolve, reject) => {
			socket.once('open', () => resolve());
			socket.once('error', reject);
		});
		socket.send(encodeUpdate(refused), { binary: true });
		socket.send(encodeUpdate(refused), { binary: true });
		socket.send(encodeUpdate(validUpdate), { binary: true });
		expect(await closed).toBe(closeCodes.changeRefused);

		expect(await rejectedCount(server, 'protected')).toBe(refusedBefore + 1);
		const held = await server.backend.hub.withDoc(docName, (shared) => shared.doc.getMap('closing-window').size);
		expect(held, 'a change sent after a refused one is not applied').toBe(0);
		const stored = await storedDoc(server, docName);
		expect(stored.getMap('closing-window').size).toBe(0);
		expect((recordMap(stored, 'dependencies', dependency.id)!.get('comments') as Y.Array<unknown>).length).toBe(1);
	});
});
