import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, createRecord, listRecords, readRecord, updateRecord } from './board-doc.ts';
import { isAssumptionOverdue, isRiskDue, riskScore } from './raid-derived.ts';

const me = { name: 'Priya Shah' };

describe('risks and assumptions: the RAID registers in the board model', () => {
	it('creates a risk with every field, its own refs and the common logs; derives its score and proximity', () => {
		const doc = new Y.Doc();
		const { id, ref } = createRecord(doc, 'risks', { title: 'Counsel unavailable', owner: me, cause: 'One lawyer', event: 'Drafting stalls', effect: 'Late pilot', likelihood: 'high', impact: 'very_high', proximity: '2030-03-01', mitigations: 'Borrow counsel from DWP' }, me);
		expect(ref).toBe('RSK-1');
		addComment(doc, 'risks', id, { text: 'Chased' }, me);
		const read = readRecord(doc, 'risks', id);
		expect(read?.ok).toBe(true);
		if (!read?.ok) return;
		expect(read.record).toMatchObject({ status: 'open', likelihood: 'high', impact: 'very_high', mitigations: 'Borrow counsel from DWP', comments: [{ text: 'Chased' }] });
		expect(riskScore(read.record)).toBe(20);
		expect(isRiskDue(read.record, '2030-02-28')).toBe(false);
		expect(isRiskDue(read.record, '2030-03-01')).toBe(true);
		updateRecord(doc, 'risks', id, { status: 'closed' }, me);
		const closed = readRecord(doc, 'risks', id);
		expect(closed?.ok && isRiskDue(closed.record, '2030-04-01')).toBe(false);
	});

	it('creates an assumption titled from its statement; flags it once its validation date passes unvalidated', () => {
		const doc = new Y.Doc();
		const { id, ref } = createRecord(doc, 'assumptions', { statement: 'Regions share data monthly\nand on time', owner: me, validationDate: '2030-02-15' }, me);
		expect(ref).toBe('ASM-1');
		const [result] = listRecords(doc, 'assumptions');
		expect(result?.ok && result.record).toMatchObject({ id, title: 'Regions share data monthly', status: 'unvalidated' });
		if (!result?.ok) return;
		expect(isAssumptionOverdue(result.record, '2030-02-16')).toBe(true);
		expect(() => createRecord(doc, 'assumptions', { statement: '  ', owner: me }, me)).toThrow(/statement/);
		expect(() => createRecord(doc, 'risks', { title: 'x', owner: me, likelihood: 'certain' as never }, me)).toThrow(/likelihood/);
	});
});
