/**
 * What a record made with `n` starts as: valid, owned by the person making it, with a title to
 * type over. Decisions are not made blank (their text is final): they get a form instead.
 */
import { addDays } from '../../board/dates.ts';
import type { Person } from '../../protocol/record-fields.ts';
import type { CreateInput } from '../../protocol/records.ts';

export const newRecordDefaults = { actionDueInDays: 7, unblocker: 'To be agreed' } as const;

export type DefaultsContext = { actor: Person; today: string; departmentId: string | undefined; fallbackDepartment: string };

export function newDependency(context: DefaultsContext): CreateInput<'dependencies'> {
	const department = context.departmentId ?? context.fallbackDepartment;
	return {
		title: 'New dependency',
		providerDepartment: department,
		providerOwner: context.actor,
		receiverDepartment: department,
		receiverOwner: context.actor,
		deliverable: ''
	};
}

export function newBlocker(context: DefaultsContext): CreateInput<'blockers'> {
	return {
		title: 'New blocker',
		owner: context.actor,
		unblocker: newRecordDefaults.unblocker,
		raisedOn: context.today,
		departments: context.departmentId ? [context.departmentId] : []
	};
}

export function newAction(context: DefaultsContext): CreateInput<'actions'> {
	return {
		text: 'New action',
		owner: context.actor,
		due: addDays(context.today, newRecordDefaults.actionDueInDays),
		departments: context.departmentId ? [context.departmentId] : []
	};
}

export function newRisk(context: DefaultsContext): CreateInput<'risks'> {
	return { title: 'New risk', owner: context.actor, departments: context.departmentId ? [context.departmentId] : [] };
}

export function newAssumption(context: DefaultsContext): CreateInput<'assumptions'> {
	return { statement: 'New assumption', owner: context.actor, departments: context.departmentId ? [context.departmentId] : [] };
}
