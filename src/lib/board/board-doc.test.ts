import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addComment,
	addLink,
	createRecord,
	createRecords,
	deleteRecord,
	readRecord,
	removeLink,
	restoreRecord,
	updateRecord
} from './board-doc.ts';
import { InvalidInputError, RecordNotFoundError } from './errors.ts';
import { readSchemaVersion, registerMap, schemaVersion } from './layout.ts';
import { updatedAtCoalesceMs } from './write.ts';

const priya = { name: 'Priya Shah', id: 'u-priya' };
const tom = { name: 'Tom Hughes' };
const t0 = 1_790_000_000_000;

const dependencyInput = {
	title: 'Housing capital settlement',
	providerDepartment: 'hmt',
	providerOwner: tom,
	receiverDepartment: 'mhclg',
	receiverOwner: priya,
	deliverable: 'Capital allocation by region',
	neededBy: '2026-06-01'
};

function read<R extends 'dependencies' | 'blockers' | 'actions' | 'decisions'>(doc: Y.Doc, register: R, id: string) {
	const result = readRecord(doc, register, id);
	if (!result?.ok) throw new Error(`expected a valid record, got ${JSON.stringify(result)}`);
	return result.record;
}

const raw = (doc: Y.Doc, register: string, id: string) => doc.getMap(register).get(id) as Y.Map<unknown>;

describe('createRecord', () => {
	it('stores fields with the documented Yjs types and fills defaults', () => {
		const doc = new Y.Doc();
		const { id, ref } = createRecord(doc, 'dependencies', dependencyInput, priya, { now: t0 });
		expect(ref).toBe('DEP-1');
		expect(readSchemaVersion(doc)).toBe(schemaVersion);
		const map = raw(doc, 'dependencies', id);
		expect(map.get('deliverable')).toBeInstanceOf(Y.Text);
		expect(map.get('narrative')).toBeInstanceOf(Y.Text);
		expect(map.get('comments')).toBeInstanceOf(Y.Array);
		expect(map.get('ratingHistory')).toBeInstanceOf(Y.Array);
		expect(map.get('links')).toBeInstanceOf(Y.Map);
		expect(map.get('status')).toBe('proposed');
		expect(read(doc, 'dependencies', id)).toMatchObject({
			register: 'dependencies',
			ref: 'DEP-1',
			owner: tom, // defaults to the provider's owner
			departments: ['hmt', 'mhclg'],
			committed: null,
			rating: null,
			createdBy: priya,
			createdAt: t0,
			updatedBy: priya,
			updatedAt: t0,
			archived: false
		});
	});

	it('allocates consecutive refs per register', () => {
		const doc = new Y.Doc();
		const made = createRecords(doc, 'actions', [1, 2, 3].map((n) => ({ text: `Do ${n}`, owner: priya, due: '2026-01-09' })), priya);
		expect(made.map((r) => r.ref)).toEqual(['ACT-1', 'ACT-2', 'ACT-3']);
		expect(createRecord(doc, 'decisions', { text: 'Agree it', decidedOn: '2026-01-09', forum: 'Board' }, priya).ref).toBe('DEC-1');
		expect(read(doc, 'actions', made[0]!.id)).toMatchObject({ title: 'Do 1', originalDue: '2026-01-09', replans: [] });
	});

	it('rejects invalid input with named issues and writes nothing', () => {
		const doc = new Y.Doc();
		const attempt = () =>
			createRecord(doc, 'dependencies', { ...dependencyInput, neededBy: '2026-02-30', colour: 'red' } as never, priya);
		expect(attempt).toThrow(InvalidInputError);
		try {
			attempt();
		} catch (error) {
			expect((error as InvalidInputError).code).toBe('invalid_input');
			expect((error as InvalidInputError).issues.map((i) => i.path).sort()).toEqual(['', 'neededBy']);
		}
		expect(() => createRecord(doc, 'actions', { text: 'x', owner: priya, due: '2026-01-01' }, { name: '' })).toThrow(
			InvalidInputError
		);
		expect(registerMap(doc, 'dependencies').size).toBe(0);
		expect(Y.encodeStateAsUpdate(doc).length).toBeLessThan(3); // an empty document
	});

	it('refuses links to records that are not on the board', () => {
		const doc = new Y.Doc();
		expect(() =>
			createRecord(doc, 'blockers', { title: 'Stuck', owner: tom, unblocker: 'CO', raisedOn: '2026-01-02', blocks: ['nope'] }, priya)
		).toThrow(RecordNotFoundError);
	});
});

describe('updateRecord', () => {
	it('writes changed fields, stamps who and when, and reports no-ops', () => {
		const doc = new Y.Doc();
		const { id } = createRecord(doc, 'dependencies', dependencyInput, priya, { now: t0 });
		const later = t0 + updatedAtCoalesceMs;
		expect(updateRecord(doc, 'dependencies', id, { status: 'agreed', forecast: '2026-06-10' }, tom, { now: later })).toBe(true);
		expect(read(doc, 'dependencies', id)).toMatchObject({
			status: 'agreed',
			forecast: '2026-06-10',
			updatedBy: tom,
			updatedAt: later,
			createdBy: priya
		});
		expect(updateRecord(doc, 'dependencies', id, { status: 'agreed' }, priya, { now: later + 5 })).toBe(false);
		expect(read(doc, 'dependencies', id).updatedBy).toEqual(tom);
		expect(updateRecord(doc, 'dependencies', id, { forecast: null }, tom, { now: later + 5 })).toBe(true);
		expect(read(doc, 'dependencies', id)).toMatchObject({ forecast: null, updatedAt: later }); // same person, within the window
	});

	it('keeps fields the model owns out of patches', () => {
		const doc = new Y.Doc();
		const action = createRecord(doc, 'actions', { text: 'Send it', owner: tom, due: '2026-02-01' }, priya);
		const decision = createRecord(doc, 'decisions', { text: 'Agree it', decidedOn: '2026-01-09', forum: 'Board' }, priya);
		expect(() => updateRecord(doc, 'actions', action.id, { due: '2026-03-01' } as never, priya)).toThrow(InvalidInputError);
		expect(() => updateRecord(doc, 'decisions', decision.id, { text: 'Agree something else' } as never, priya)).toThrow(
			/text/
		);
		expect(() => updateRecord(doc, 'actions', action.id, {}, priya)).toThrow(/at least one field/);
		expect(() => updateRecord(doc, 'actions', 'missing', { status: 'done' }, priya)).toThrow(RecordNotFoundError);
		expect(read(doc, 'decisions', decision.id).text).toBe('Agree it');
	});

	it('splices text so a concurrent edit elsewhere in the same field survives', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const { id } = createRecord(a, 'blockers', { title: 'Stuck', owner: tom, unblocker: 'CO', raisedOn: '2026-01-02', ask: 'Approve the change.' }, priya);
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		updateRecord(a, 'blockers', id, { ask: 'Approve the change by Friday.' }, priya);
		updateRecord(b, 'blockers', id, { ask: 'Please approve the change.' }, tom);
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		expect(read(a, 'blockers', id).ask).toBe('Please approve the change by Friday.');
		expect(read(b, 'blockers', id).ask).toBe('Please approve the change by Friday.');
		// Surrogate pairs are never split.
		updateRecord(a, 'blockers', id, { ask: 'Approve 👍' }, priya);
		updateRecord(a, 'blockers', id, { ask: 'Approve 👎' }, priya);
		expect(read(a, 'blockers', id).ask).toBe('Approve 👎');
	});
});

describe('soft delete, comments and links', () => {
	it('archives and restores without losing the ref', () => {
		const doc = new Y.Doc();
		const { id } = createRecord(doc, 'dependencies', dependencyInput, priya);
		expect(deleteRecord(doc, 'dependencies', id, tom)).toBe(true);
		expect(deleteRecord(doc, 'dependencies', id, tom)).toBe(false);
		expect(read(doc, 'dependencies', id)).toMatchObject({ archived: true, ref: 'DEP-1' });
		expect(restoreRecord(doc, 'dependencies', id, tom)).toBe(true);
		expect(read(doc, 'dependencies', id).archived).toBe(false);
	});

	it('appends comments from concurrent authors', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const { id } = createRecord(a, 'actions', { text: 'Send it', owner: tom, due: '2026-02-01' }, priya);
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		addComment(a, 'actions', id, { text: 'Sent the draft' }, priya, { now: t0 });
		addComment(b, 'actions', id, { text: 'Received, thanks' }, tom, { now: t0 + 1 });
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		const comments = read(a, 'actions', id).comments;
		expect(comments.map((c) => c.text).sort()).toEqual(['Received, thanks', 'Sent the draft']);
		expect(comments.find((c) => c.author.name === 'Tom Hughes')).toMatchObject({ at: t0 + 1 });
		expect(() => addComment(a, 'actions', id, { text: '   ' }, priya)).toThrow(InvalidInputError);
	});

	it('adds and removes links by record id, per link field', () => {
		const doc = new Y.Doc();
		const dep = createRecord(doc, 'dependencies', dependencyInput, priya);
		const blocker = createRecord(doc, 'blockers', { title: 'Stuck', owner: tom, unblocker: 'CO', raisedOn: '2026-01-02' }, priya);
		const action = createRecord(doc, 'actions', { text: 'Send it', owner: tom, due: '2026-02-01' }, priya);
		const decision = createRecord(doc, 'decisions', { text: 'Agree it', decidedOn: '2026-01-09', forum: 'Board' }, priya);
		expect(addLink(doc, 'blockers', blocker.id, dep.id, priya, { field: 'blocks' })).toBe(true);
		expect(addLink(doc, 'blockers', blocker.id, dep.id, priya, { field: 'blocks' })).toBe(false);
		expect(addLink(doc, 'blockers', blocker.id, action.id, priya)).toBe(true);
		expect(read(doc, 'blockers', blocker.id)).toMatchObject({
			blocks: [{ id: dep.id, register: 'dependencies' }],
			links: [{ id: action.id, register: 'actions' }]
		});
		expect(() => addLink(doc, 'decisions', decision.id, dep.id, priya, { field: 'createdActions' })).toThrow(/not an action/);
		expect(() => addLink(doc, 'actions', action.id, action.id, priya)).toThrow(/itself/);
		expect(() => addLink(doc, 'actions', action.id, dep.id, priya, { field: 'blocks' } as never)).toThrow(InvalidInputError);
		expect(removeLink(doc, 'blockers', blocker.id, dep.id, priya, { field: 'blocks' })).toBe(true);
		expect(removeLink(doc, 'blockers', blocker.id, dep.id, priya, { field: 'blocks' })).toBe(false);
		expect(read(doc, 'blockers', blocker.id).blocks).toEqual([]);
	});
});
