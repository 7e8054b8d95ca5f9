import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bringsNothingNew } from './known-update.ts';

/** A server document and a client that holds all of it (client id fixed so ranges are predictable). */
function pair(): { server: Y.Doc; client: Y.Doc } {
	const client = new Y.Doc();
	client.clientID = 7;
	const text = client.getText('t');
	text.insert(0, 'hello world');
	text.delete(0, 6);
	client.getMap('m').set('field', 1);
	client.getMap('m').set('field', 2);
	const server = new Y.Doc();
	Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
	return { server, client };
}

/** What a y-websocket client answers the server's sync step 1 with. */
const answerTo = (server: Y.Doc, client: Y.Doc) => Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));

/** Whether applying `update` to a copy of `doc` changes anything (what the fast path must agree with). */
function changes(doc: Y.Doc, update: Uint8Array): boolean {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	let changed = false;
	copy.on('update', () => (changed = true));
	Y.applyUpdate(copy, update);
	return changed;
}

describe('bringsNothingNew', () => {
	it('recognises the answer to an acknowledgement: no structs, a delete set the document holds', () => {
		const { server, client } = pair();
		const answer = answerTo(server, client);
		expect(Y.decodeUpdate(answer).ds.clients.size).toBeGreaterThan(0);
		expect(changes(server, answer)).toBe(false);
		expect(bringsNothingNew(server, answer)).toBe(true);
		expect(bringsNothingNew(new Y.Doc(), Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true);
	});

	it('does not take a deletion the document lacks for known, even one among many it holds', () => {
		const { server, client } = pair();
		client.getText('t').delete(0, 1);
		const answer = answerTo(server, client);
		expect(Y.decodeUpdate(answer).structs).toHaveLength(0);
		expect(bringsNothingNew(server, answer)).toBe(false);
		expect(changes(server, answer)).toBe(true);
	});

	it('does not take new structs, a range past what the document has seen, or a document with pending updates', () => {
		const { server, client } = pair();
		client.getMap('m').set('other', 3);
		expect(bringsNothingNew(server, answerTo(server, client))).toBe(false);

		const ahead = new Y.Doc();
		Y.applyUpdate(ahead, Y.encodeStateAsUpdate(client));
		ahead.getText('t').insert(0, 'abc');
		ahead.getText('t').delete(0, 3);
		// Only the delete set, as though the structs it covers had not been sent.
		const deleteOnly = Y.encodeStateAsUpdate(ahead, Y.encodeStateVector(ahead));
		expect(bringsNothingNew(server, deleteOnly)).toBe(false);

		const pending = new Y.Doc();
		const later = new Y.Doc();
		later.getText('t').insert(0, 'a');
		const before = Y.encodeStateVector(later);
		later.getText('t').insert(1, 'b');
		Y.applyUpdate(pending, Y.encodeStateAsUpdate(later, before));
		expect(pending.store.pendingStructs).not.toBeNull();
		expect(bringsNothingNew(pending, Y.encodeStateAsUpdate(new Y.Doc()))).toBe(false);
	});

	it('answers false on bytes that do not parse or run past the update', () => {
		const { server, client } = pair();
		const answer = answerTo(server, client);
		expect(bringsNothingNew(server, answer.subarray(0, answer.length - 1))).toBe(false);
		expect(bringsNothingNew(server, Uint8Array.from([...answer, 0]))).toBe(false);
		expect(bringsNothingNew(server, Uint8Array.from([0xff, 0xff, 0xff]))).toBe(false);
	});

	it('agrees with applying the update on random edits and random answers', () => {
		let seed = 42;
		const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
		for (let round = 0; round < 200; round++) {
			const { server, client } = pair();
			const text = client.getText('t');
			for (let edit = 0; edit < 5; edit++) {
				if (random() < 0.5 && text.length > 0) text.delete(Math.floor(random() * text.length), 1);
				else text.insert(Math.floor(random() * (text.length + 1)), 'x');
				// Sometimes the server sees this much of it, sometimes not.
				if (random() < 0.5) Y.applyUpdate(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)));
			}
			const answer = answerTo(server, client);
			const fast = bringsNothingNew(server, answer);
			// Never claims "nothing new" for an update that changes the document.
			if (fast) expect(changes(server, answer)).toBe(false);
			// And it does recognise the answer once the server holds everything.
			Y.applyUpdate(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)));
			expect(bringsNothingNew(server, answerTo(server, client))).toBe(true);
		}
	});
});
