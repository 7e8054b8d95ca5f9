/**
 * Building and inserting new records. `prepareRecord` turns validated create data into
 * the fields to store (filling defaults that depend on other fields or on the actor);
 * `insertPrepared` writes them, allocating refs, inside the caller's transaction.
 */
import * as Y from 'yjs';
import type { Person } from '../protocol/record-fields.ts';
import type { CreateData } from '../protocol/records.ts';
import { formatRef, type RegisterName } from '../protocol/registers.ts';
import { invalidInput } from './errors.ts';
import {
	ensureMeta,
	historyFields,
	isTextField,
	linkFields,
	newRecordId,
	refKeys,
	registerMap,
	textFields
} from './layout.ts';
import { buildRefIndex } from './refs.ts';
import { resolveTargets, titleFromText } from './write.ts';

export type NewRecord = { id: string; ref: string };

export type PreparedRecord = {
	fields: Record<string, unknown>;
	links: Record<string, Map<string, RegisterName>>;
};

type Built = { fields: Record<string, unknown>; linkIds: Record<string, string[]> };

function build<R extends RegisterName>(register: R, data: CreateData<R>, actor: Person, now: number): Built {
	switch (register) {
		case 'dependencies': {
			const { links, rating, narrative, owner, departments, ...rest } = data as CreateData<'dependencies'>;
			const ratingHistory = rating ? [{ rating, narrative, by: actor, at: now }] : [];
			return {
				fields: {
					...rest,
					owner: owner ?? rest.providerOwner,
					departments: departments ?? [...new Set([rest.providerDepartment, rest.receiverDepartment])],
					rating,
					narrative,
					ratingHistory
				},
				linkIds: { links }
			};
		}
		case 'blockers': {
			const { links, blocks, ...rest } = data as CreateData<'blockers'>;
			return { fields: { ...rest, escalations: [] }, linkIds: { links, blocks } };
		}
		case 'actions': {
			const { links, title, ...rest } = data as CreateData<'actions'>;
			return {
				fields: { ...rest, title: title ?? titleFromText(rest.text), originalDue: rest.due, replans: [] },
				linkIds: { links }
			};
		}
		case 'decisions': {
			const { links, createdActions, title, owner, ...rest } = data as CreateData<'decisions'>;
			return {
				fields: {
					...rest,
					title: title ?? titleFromText(rest.text),
					owner: owner ?? actor,
					status: 'current',
					supersedes: null
				},
				linkIds: { links, createdActions }
			};
		}
		case 'risks': {
			const { links, ...rest } = data as CreateData<'risks'>;
			return { fields: rest, linkIds: { links } };
		}
		case 'assumptions': {
			const { links, title, ...rest } = data as CreateData<'assumptions'>;
			return { fields: { ...rest, title: title ?? titleFromText(rest.statement) }, linkIds: { links } };
		}
	}
	throw new Error(`unknown register ${String(register)}`);
}

/** Validated create data → fields to store. Throws if a link target is not on the board. */
export function prepareRecord<R extends RegisterName>(
	doc: Y.Doc,
	register: R,
	data: CreateData<R>,
	actor: Person,
	now: number,
	extra: Record<string, unknown> = {}
): PreparedRecord {
	const { fields, linkIds } = build(register, data, actor, now);
	const links: PreparedRecord['links'] = {};
	for (const [field, ids] of Object.entries(linkIds)) {
		const targets = resolveTargets(doc, ids);
		if (field === 'createdActions') {
			const wrong = [...targets].find(([, target]) => target !== 'actions');
			if (wrong) {
				throw invalidInput('decision', 'createdActions', `${wrong[0]} is not an action`);
			}
		}
		links[field] = targets;
	}
	return {
		fields: {
			...fields,
			...extra,
			comments: [],
			archived: false,
			createdBy: actor,
			createdAt: now,
			updatedBy: actor,
			updatedAt: now
		},
		links
	};
}

/**
 * Inserts prepared records with fresh refs (max + 1, …). Must run inside a transaction,
 * after `reconcileRefs`, so no provisional numbers are pending.
 */
export function insertPrepared(doc: Y.Doc, register: RegisterName, records: PreparedRecord[]): NewRecord[] {
	ensureMeta(doc);
	const root = registerMap(doc, register);
	const arrays: readonly string[] = historyFields[register];
	let next = buildRefIndex(doc, register).max;
	return records.map(({ fields, links }) => {
		const id = newRecordId();
		const n = ++next;
		const map = new Y.Map<unknown>();
		root.set(id, map);
		map.set(refKeys.seq, n);
		for (const [key, value] of Object.entries(fields)) {
			if (value === undefined) continue;
			if (isTextField(register, key)) map.set(key, new Y.Text(String(value)));
			else if (arrays.includes(key)) map.set(key, Y.Array.from(value as object[]));
			else map.set(key, value);
		}
		// Every nested type exists from the start (see write.ts), even if empty.
		for (const key of textFields[register]) if (!map.has(key)) map.set(key, new Y.Text());
		for (const key of arrays) if (!map.has(key)) map.set(key, new Y.Array<unknown>());
		for (const field of linkFields[register]) {
			const targets = new Y.Map<RegisterName>();
			map.set(field, targets);
			for (const [target, targetRegister] of links[field] ?? []) targets.set(target, targetRegister);
		}
		return { id, ref: formatRef(register, n) };
	});
}
