import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, deleteRecord, listRecords, readBoard, readRecord, validRecords } from './board-doc.ts';
import { boardSummary } from './derived.ts';
import { registerMap } from './layout.ts';
import { stampsRoot } from './protected.ts';
import { listRecordFields } from './read.ts';

const actor = { name: 'Niamh Doyle' };

function dependency(title: string) {
	return {
		title,
		providerDepartment: 'ho',
		providerOwner: { name: 'Tom Hughes' },
		receiverDepartment: 'moj',
		receiverOwner: { name: 'Marcus Lee' },
		deliverable: 'Monthly extract',
		neededBy: '2026-02-01',
		rating: 'red' as const
	};
}

describe('reading records', () => {
	it('reports records with wrong types as invalid and still lists the others', () => {
		const doc = new Y.Doc();
		const good = createRecord(doc, 'dependencies', dependency('Good one'), actor);
		const badDate = createRecord(doc, 'dependencies', dependency('Bad date'), actor);
		const badOwner = createRecord(doc, 'dependencies', dependency('Bad owner'), actor);
		const also = createRecord(doc, 'dependencies', dependency('Also good'), actor);
		const map = registerMap(doc, 'dependencies');
		(map.get(badDate.id) as Y.Map<unknown>).set('neededBy', 20260201);
		(map.get(badOwner.id) as Y.Map<unknown>).set('owner', 'Tom');
		map.set('not-a-map', 'hello');

		const results = listRecords(doc, 'dependencies');
		expect(results.map((r) => r.id)).toEqual([good.id, badDate.id, badOwner.id, also.id, 'not-a-map']);
		expect(results.filter((r) => r.ok).map((r) => r.id)).toEqual([good.id, also.id]);
		const issues = Object.fromEntries(results.flatMap((r) => (r.ok ? [] : [[r.id, r.issues.map((i) => i.path)]])));
		expect(issues).toEqual({ [badDate.id]: ['neededBy'], [badOwner.id]: ['owner'], 'not-a-map': [''] });
		expect(readRecord(doc, 'dependencies', badDate.id)).toMatchObject({ ok: false, register: 'dependencies' });
		expect(readRecord(doc, 'dependencies', 'missing')).toBeUndefined();

		// The summary is built from the valid records; the bad ones do not break it.
		const board = readBoard(doc);
		const summary = boardSummary(
			{
				dependencies: validRecords(board.dependencies),
				blockers: validRecords(board.blockers),
				actions: validRecords(board.actions),
				decisions: validRecords(board.decisions)
			},
			'2026-03-01'
		);
		expect(summary.dependencies).toMatchObject({ total: 2, red: 2, late: 2 });
	});

	it('reports a bad entry inside a history array as an error on that record', () => {
		const doc = new Y.Doc();
		const { id } = createRecord(doc, 'blockers', { title: 'Stuck', owner: actor, unblocker: 'CO', raisedOn: '2026-01-02' }, actor);
		const record = registerMap(doc, 'blockers').get(id) as Y.Map<unknown>;
		(record.get('escalations') as Y.Array<unknown>).push([{ level: 'the moon', on: 'soon' }]);
		const result = readRecord(doc, 'blockers', id);
		expect(result?.ok).toBe(false);
		expect(!result?.ok && result?.issues.map((i) => i.path)).toContain('escalations.0.level');
	});

	it('reads a record written by another program with only the required fields', () => {
		const doc = new Y.Doc();
		// What a script using plain Yjs (e.g. over y-websocket) might write: no seq, no text fields.
		doc.transact(() => {
			const record = new Y.Map<unknown>();
			registerMap(doc, 'actions').set('script-1', record);
			record.set('title', 'Collect returns');
			record.set('text', 'Collect the quarterly returns');
			record.set('owner', { name: 'Script' });
			record.set('status', 'open');
			record.set('due', '2026-04-01');
			record.set('originalDue', '2026-04-01');
			for (const key of ['createdBy', 'updatedBy']) record.set(key, { name: 'Script' });
			for (const key of ['createdAt', 'updatedAt']) record.set(key, 1_767_225_600_000);
		});
		const result = readRecord(doc, 'actions', 'script-1');
		expect(result).toMatchObject({
			ok: true,
			record: { ref: 'ACT-1', description: '', comments: [], links: [], replans: [], meeting: null, archived: false }
		});
	});

	it('leaves archived records out unless asked, and lists in ref order', () => {
		const doc = new Y.Doc();
		const ids = ['one', 'two', 'three'].map((t) => createRecord(doc, 'dependencies', dependency(t), actor).id);
		deleteRecord(doc, 'dependencies', ids[1]!, actor);
		expect(validRecords(listRecords(doc, 'dependencies')).map((r) => r.ref)).toEqual(['DEP-1', 'DEP-3']);
		const all = validRecords(listRecords(doc, 'dependencies', { includeArchived: true }));
		expect(all.map((r) => [r.ref, r.archived])).toEqual([
			['DEP-1', false],
			['DEP-2', true],
			['DEP-3', false]
		]);
	});
});

describe('listRecordFields', () => {
	it('reads the fields asked for as listRecords does, stamps and links included, and skips archived records', () => {
		const doc = new Y.Doc();
		const first = createRecord(doc, 'dependencies', { ...dependency('First'), milestones: ['m1'] }, actor);
		const second = createRecord(doc, 'dependencies', dependency('Second'), actor);
		const archived = createRecord(doc, 'dependencies', dependency('Archived'), actor);
		deleteRecord(doc, 'dependencies', archived.id, actor);
		const mark = { by: { name: 'Chair' }, at: 5, note: 'Decide' };
		doc.getMap(stampsRoot).set(second.id, { createdBy: { name: 'x', id: 'x' }, createdAt: 1, updatedBy: { name: 'x', id: 'x' }, updatedAt: 1, forDecision: mark });
		// A client's own "for decision" value is never read: only the server's stamp counts.
		(registerMap(doc, 'dependencies').get(first.id) as Y.Map<unknown>).set('forDecision', mark);
		const fields = ['title', 'status', 'milestones', 'rating', 'forDecision'] as const;
		const full = validRecords(listRecords(doc, 'dependencies'));
		const read = listRecordFields(doc, 'dependencies', fields);
		expect(read).toEqual(full.map((record) => ({ id: record.id, register: record.register, ref: record.ref, aliases: record.aliases, archived: record.archived, title: record.title, status: record.status, milestones: record.milestones, rating: record.rating, ...(record.forDecision ? { forDecision: record.forDecision } : {}) })));
		expect(read.map((record) => [record.title, record.forDecision?.note])).toEqual([['First', undefined], ['Second', 'Decide']]);
	});

	it('leaves out a record malformed in a field it reads, not one malformed only elsewhere', () => {
		const doc = new Y.Doc();
		const badTitle = createRecord(doc, 'dependencies', dependency('Bad title'), actor);
		const badDate = createRecord(doc, 'dependencies', dependency('Bad date'), actor);
		const map = registerMap(doc, 'dependencies');
		(map.get(badTitle.id) as Y.Map<unknown>).set('title', 42);
		(map.get(badDate.id) as Y.Map<unknown>).set('neededBy', 20260201);
		map.set('not-a-map', 'hello');
		expect(listRecordFields(doc, 'dependencies', ['title', 'status']).map((record) => record.title)).toEqual(['Bad date']);
	});
});
