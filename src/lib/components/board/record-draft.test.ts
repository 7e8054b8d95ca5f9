import { describe, expect, it } from 'vitest';
import { registerSchemas } from '../../protocol/records.ts';
import { draftErrors, draftInput, draftMessages, emptyDraft, type Draft } from './record-draft.ts';

const today = '2026-12-02';
const named = (name: string) => ({ name });

describe('record drafts', () => {
	it('asks for the title, both departments and both owners of a dependency, and fills none of them in', () => {
		expect(draftErrors('dependencies', emptyDraft(today))).toEqual({
			title: 'Enter a title',
			providerDepartment: draftMessages.providerDepartment,
			providerOwner: draftMessages.providerOwner,
			receiverDepartment: draftMessages.receiverDepartment,
			receiverOwner: draftMessages.receiverOwner
		});
	});

	it('refuses the same department on both sides and a date outside the sane range', () => {
		const draft: Draft = { ...emptyDraft(today), title: 'Data', providerDepartment: 'a', receiverDepartment: 'a', providerOwner: 'P', receiverOwner: 'R', neededBy: '1999-12-31' };
		const errors = draftErrors('dependencies', draft);
		expect(errors.receiverDepartment).toBe('The receiving department must be different from the providing department');
		expect(errors.neededBy).toBe('Enter a date between 1 January 2000 and 31 December 2099');
	});

	it('says a title is too long or holds a line break, and keeps an action’s long text', () => {
		expect(draftErrors('risks', { ...emptyDraft(today), title: 'x'.repeat(201), owner: 'O' }).title).toBe('The title must be 200 characters or fewer');
		expect(draftErrors('risks', { ...emptyDraft(today), title: 'a\u202eb', owner: 'O' }).title).toBe(draftMessages.titleCharacters);
		expect(draftErrors('actions', { ...emptyDraft(today), title: 'Send the model. '.repeat(20), owner: 'O', due: '2027-01-05' })).toEqual({});
	});

	it('makes create inputs that the register schemas accept, with only what was picked', () => {
		const dependency = draftInput('dependencies', { ...emptyDraft(today), title: ' Data ', providerDepartment: 'a', receiverDepartment: 'b', providerOwner: 'P', receiverOwner: 'R' }, named);
		expect(registerSchemas.dependencies.create.parse(dependency)).toMatchObject({ title: 'Data', providerOwner: { name: 'P' }, neededBy: null });
		expect(dependency).not.toHaveProperty('owner');
		expect(dependency).not.toHaveProperty('departments');
		const risk = draftInput('risks', { ...emptyDraft(today), title: 'Supply', owner: 'O' }, named);
		expect(registerSchemas.risks.create.parse(risk)).toMatchObject({ departments: [], owner: { name: 'O' } });
		const blocker = draftInput('blockers', { ...emptyDraft(today), title: 'Stuck', owner: 'O', unblocker: 'Board' }, named);
		expect(registerSchemas.blockers.create.parse(blocker)).toMatchObject({ raisedOn: today, unblocker: 'Board', departments: [] });
		expect(draftErrors('blockers', { ...emptyDraft(today), title: 'Stuck', owner: 'O' })).toEqual({ unblocker: draftMessages.unblocker });
		const action = draftInput('actions', { ...emptyDraft(today), title: 'Send it', owner: 'O', due: '2027-01-05' }, named);
		expect(registerSchemas.actions.create.parse(action)).toMatchObject({ text: 'Send it', due: '2027-01-05' });
		expect(draftErrors('actions', { ...emptyDraft(today), title: 'Send it', owner: 'O' })).toEqual({ due: draftMessages.due });
		const assumption = draftInput('assumptions', { ...emptyDraft(today), title: 'Demand holds', owner: 'O' }, named);
		expect(registerSchemas.assumptions.create.parse(assumption)).toMatchObject({ statement: 'Demand holds' });
	});
});
