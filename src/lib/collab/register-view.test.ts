import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, updateRecord } from '../board/board-doc.ts';
import { registerMap } from '../board/layout.ts';
import { RegisterView, type RegisterChange } from './register-view.svelte.ts';

const actor = { name: 'Priya Shah', id: 'p1' };
const action = (text: string) => ({ text, owner: actor, due: '2026-03-01' });

describe('RegisterView', () => {
	it('re-reads only the records a transaction touched', () => {
		const doc = new Y.Doc();
		const first = createRecord(doc, 'actions', action('Send the plan'), actor);
		const second = createRecord(doc, 'actions', action('Book the room'), actor);
		const changes: RegisterChange[] = [];
		const view = new RegisterView(doc, 'actions', (_register, change) => changes.push(change));
		const a = view.entry(first.id);
		const b = view.entry(second.id);
		const bBefore = b.peek();
		const aBefore = a.peek();
		updateRecord(doc, 'actions', first.id, { status: 'done' }, actor);
		expect(changes.at(-1)?.touched).toEqual(new Set([first.id]));
		expect(a.peek()).not.toBe(aBefore);
		expect(a.record?.status).toBe('done');
		expect(b.peek()).toBe(bBefore);
	});

	it('sees text edits inside a record as a change of that record', () => {
		const doc = new Y.Doc();
		const { id } = createRecord(doc, 'actions', action('Send the plan'), actor);
		const view = new RegisterView(doc, 'actions');
		const entry = view.entry(id);
		expect(entry.searchText).toContain('send the plan');
		updateRecord(doc, 'actions', id, { description: 'Ask Treasury first' }, actor);
		expect(entry.searchText).toContain('ask treasury first');
	});

	it('tracks members and reports added records', () => {
		const doc = new Y.Doc();
		const changes: RegisterChange[] = [];
		const view = new RegisterView(doc, 'actions', (_register, change) => changes.push(change));
		expect(view.entries).toHaveLength(0);
		const { id, ref } = createRecord(doc, 'actions', action('Send the plan'), actor);
		expect(view.entries.map((entry) => entry.id)).toEqual([id]);
		expect(changes.at(-1)?.added).toEqual(new Set([id]));
		expect(view.entry(id).record?.ref).toBe(ref);
	});

	it('shows a malformed record as an error, not an exception', () => {
		const doc = new Y.Doc();
		const view = new RegisterView(doc, 'actions');
		const bad = new Y.Map<unknown>();
		registerMap(doc, 'actions').set('broken1', bad);
		bad.set('title', 42);
		const result = view.entry('broken1').peek();
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.issues.length).toBeGreaterThan(0);
	});

	it('re-reads a record whose ref moved when a concurrent record took its number', () => {
		const docA = new Y.Doc();
		const docB = new Y.Doc();
		const a = createRecord(docA, 'actions', action('From A'), actor, { now: 2_000 });
		const b = createRecord(docB, 'actions', action('From B'), actor, { now: 1_000 });
		expect(a.ref).toBe(b.ref);
		const view = new RegisterView(docA, 'actions');
		expect(view.entry(a.id).record?.ref).toBe('ACT-1');
		Y.applyUpdate(docA, Y.encodeStateAsUpdate(docB));
		// B was created first, so it keeps ACT-1 and A is shown with the next number.
		expect(view.entry(b.id).record?.ref).toBe('ACT-1');
		expect(view.entry(a.id).record?.ref).toBe('ACT-2');
	});
});
