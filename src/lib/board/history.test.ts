import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	correctDecision,
	createRecord,
	escalateBlocker,
	findByRef,
	readRecord,
	replanAction,
	setRating
} from './board-doc.ts';
import { actionSlipCount, actionSlipDays, escalationReached } from './derived.ts';
import { InvalidInputError, RecordNotFoundError } from './errors.ts';

const chair = { name: 'Ravi Kumar', id: 'chair' };
const owner = { name: 'Fiona MacLeod' };
const t0 = 1_790_000_000_000;

function read<R extends 'dependencies' | 'blockers' | 'actions' | 'decisions'>(doc: Y.Doc, register: R, id: string) {
	const result = readRecord(doc, register, id);
	if (!result?.ok) throw new Error(`expected a valid record, got ${JSON.stringify(result)}`);
	return result.record;
}

describe('setRating', () => {
	it('sets rating and narrative and keeps every rating in the history', () => {
		const doc = new Y.Doc();
		const { id } = createRecord(
			doc,
			'dependencies',
			{
				title: 'Grid forecast',
				providerDepartment: 'dft',
				providerOwner: owner,
				receiverDepartment: 'desnz',
				receiverOwner: chair,
				deliverable: 'Forecast to 2030',
				rating: 'green',
				narrative: 'On track'
			},
			chair,
			{ now: t0 }
		);
		setRating(doc, id, { rating: 'amber', narrative: 'Model disagreement' }, owner, { now: t0 + 1 });
		setRating(doc, id, { rating: 'amber', narrative: 'Still disputed' }, owner, { now: t0 + 2 });
		const record = read(doc, 'dependencies', id);
		expect(record).toMatchObject({ rating: 'amber', narrative: 'Still disputed' });
		expect(record.ratingHistory.map((h) => [h.rating, h.narrative, h.by.name, h.at])).toEqual([
			['green', 'On track', 'Ravi Kumar', t0],
			['amber', 'Model disagreement', 'Fiona MacLeod', t0 + 1],
			['amber', 'Still disputed', 'Fiona MacLeod', t0 + 2]
		]);
		expect(() => setRating(doc, id, { rating: 'purple' } as never, owner)).toThrow(InvalidInputError);
		expect(() => setRating(doc, 'missing', { rating: 'red' }, owner)).toThrow(RecordNotFoundError);
	});
});

describe('escalateBlocker', () => {
	it('records each step of the ladder and marks the blocker escalated', () => {
		const doc = new Y.Doc();
		const { id } = createRecord(doc, 'blockers', { title: 'No lawful basis', owner, unblocker: 'DPO', raisedOn: '2026-01-05' }, chair);
		escalateBlocker(doc, id, { level: 'owner_to_owner', on: '2026-01-06', forum: 'Owner call' }, owner, { now: t0 });
		escalateBlocker(doc, id, { level: 'missions_unit_lead', on: '2026-01-12', forum: 'Missions Unit weekly', note: 'Needs a ruling' }, chair, { now: t0 + 1 });
		const record = read(doc, 'blockers', id);
		expect(record.status).toBe('escalated');
		expect(record.escalations).toEqual([
			{ level: 'owner_to_owner', on: '2026-01-06', forum: 'Owner call', note: '', by: owner, at: t0 },
			{ level: 'missions_unit_lead', on: '2026-01-12', forum: 'Missions Unit weekly', note: 'Needs a ruling', by: chair, at: t0 + 1 }
		]);
		expect(escalationReached(record)).toBe('missions_unit_lead');
		expect(() => escalateBlocker(doc, id, { level: 'the press', on: '2026-01-12', forum: 'x' } as never, chair)).toThrow(InvalidInputError);
	});
});

describe('replanAction', () => {
	it('moves the due date, keeps the original and counts every re-plan as a slip', () => {
		const doc = new Y.Doc();
		const { id } = createRecord(doc, 'actions', { text: 'Send the note', owner, due: '2026-02-01' }, chair);
		expect(replanAction(doc, id, { due: '2026-02-08', reason: 'Waiting for legal' }, owner, { now: t0 })).toBe(true);
		expect(replanAction(doc, id, { due: '2026-02-08' }, owner)).toBe(false);
		expect(replanAction(doc, id, { due: '2026-02-15' }, owner, { now: t0 + 1 })).toBe(true);
		const record = read(doc, 'actions', id);
		expect(record).toMatchObject({ due: '2026-02-15', originalDue: '2026-02-01' });
		expect(record.replans).toEqual([
			{ from: '2026-02-01', to: '2026-02-08', reason: 'Waiting for legal', by: owner, at: t0 },
			{ from: '2026-02-08', to: '2026-02-15', reason: '', by: owner, at: t0 + 1 }
		]);
		expect(actionSlipCount(record)).toBe(2);
		expect(actionSlipDays(record)).toBe(14);
	});

	it('counts concurrent re-plans from two people as two slips', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const { id } = createRecord(a, 'actions', { text: 'Send the note', owner, due: '2026-02-01' }, chair);
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		replanAction(a, id, { due: '2026-02-08' }, owner);
		replanAction(b, id, { due: '2026-02-10' }, chair);
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(actionSlipCount(read(a, 'actions', id))).toBe(2);
		expect(read(a, 'actions', id).due).toBe(read(b, 'actions', id).due);
	});
});

describe('correctDecision', () => {
	it('logs a new entry that supersedes the old one and never rewrites the old text', () => {
		const doc = new Y.Doc();
		const action = createRecord(doc, 'actions', { text: 'Model capacity', owner, due: '2026-02-01' }, chair);
		const original = createRecord(
			doc,
			'decisions',
			{
				text: 'Model prison capacity on current sentencing',
				decidedOn: '2026-01-10',
				forum: 'Safer streets stocktake',
				decisionMakers: [chair],
				rationale: 'Avoids blocking charging decisions',
				createdActions: [action.id]
			},
			chair,
			{ now: t0 }
		);
		const correction = correctDecision(
			doc,
			original.id,
			{ text: 'Model prison capacity on current sentencing plus early release' },
			owner,
			{ now: t0 + 1 }
		);
		expect(correction.ref).toBe('DEC-2');
		const old = read(doc, 'decisions', original.id);
		const fresh = read(doc, 'decisions', correction.id);
		expect(old).toMatchObject({ text: 'Model prison capacity on current sentencing', status: 'superseded', updatedBy: owner });
		expect(fresh).toMatchObject({
			text: 'Model prison capacity on current sentencing plus early release',
			title: 'Model prison capacity on current sentencing plus early release',
			status: 'current',
			supersedes: original.id,
			decidedOn: '2026-01-10',
			forum: 'Safer streets stocktake',
			decisionMakers: [chair],
			rationale: 'Avoids blocking charging decisions',
			createdActions: [{ id: action.id, register: 'actions' }],
			createdBy: owner,
			createdAt: t0 + 1
		});
		expect(findByRef(doc, 'DEC-1')?.id).toBe(original.id);
		expect(() => correctDecision(doc, action.id, { text: 'x' }, owner)).toThrow(RecordNotFoundError);
	});
});
