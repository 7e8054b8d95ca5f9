/**
 * A new record before it is on the board: what `n` opens. The draft lives in the page that made
 * it (nobody else sees it) until it has a title and its required fields; it is then written in one
 * transaction. Nothing is filled in for the person: no department, no owner (docs/document-schema.md
 * says which fields a record needs). Decisions have their own form (their text is final).
 * Pure: turns the typed values into the create input, or into GOV.UK-style messages per field.
 */
import { dateError, inputMessages } from '../../board/input-rules.ts';
import { fieldLimits, plainLinePattern, type Person } from '../../protocol/record-fields.ts';
import type { CreateInput } from '../../protocol/records.ts';
import type { RegisterName } from '../../protocol/registers.ts';

export type DraftRegister = Exclude<RegisterName, 'decisions'>;

/** What the form holds: strings as typed (trimmed when checked), departments as picked. */
export type Draft = {
	title: string;
	owner: string;
	providerDepartment: string;
	providerOwner: string;
	receiverDepartment: string;
	receiverOwner: string;
	neededBy: string;
	unblocker: string;
	raisedOn: string;
	due: string;
	departments: string[];
};

export function emptyDraft(today: string): Draft {
	return {
		title: '',
		owner: '',
		providerDepartment: '',
		providerOwner: '',
		receiverDepartment: '',
		receiverOwner: '',
		neededBy: '',
		unblocker: '',
		raisedOn: today,
		due: '',
		departments: []
	};
}

/** The label of the first field, which names the record (an action's text, an assumption's statement). */
export const draftTitleLabel: Record<DraftRegister, string> = {
	dependencies: 'Title',
	blockers: 'Title',
	actions: 'Action (start with a verb)',
	risks: 'Title',
	assumptions: 'What is assumed to be true'
};

/** GOV.UK-style messages: say what to do, in plain words. */
export const draftMessages = {
	title: { dependencies: 'Enter a title', blockers: 'Enter a title', actions: 'Enter the action', risks: 'Enter a title', assumptions: 'Enter what is assumed' },
	titleTooLong: `The title must be ${fieldLimits.titleChars} characters or fewer`,
	titleCharacters: 'The title cannot contain control or formatting characters, such as a line break',
	nameTooLong: `A name must be ${fieldLimits.nameChars} characters or fewer`,
	nameCharacters: 'A name cannot contain control or formatting characters',
	providerDepartment: 'Choose the providing department',
	receiverDepartment: 'Choose the receiving department',
	providerOwner: 'Enter the name of the provider’s owner',
	receiverOwner: 'Enter the name of the receiver’s owner',
	owner: 'Enter the name of the owner',
	unblocker: 'Enter who can clear it (a person, role or forum)',
	raisedOn: 'Enter the date it was raised',
	due: 'Enter the due date'
} as const;

export type DraftField = keyof Draft;
export type DraftErrors = Partial<Record<DraftField, string>>;

/** The fields each register's form shows, in order (the title is always first). */
export const draftFields: Record<DraftRegister, readonly DraftField[]> = {
	dependencies: ['title', 'providerDepartment', 'providerOwner', 'receiverDepartment', 'receiverOwner', 'neededBy'],
	blockers: ['title', 'owner', 'unblocker', 'raisedOn', 'departments'],
	actions: ['title', 'owner', 'due', 'departments'],
	risks: ['title', 'owner', 'departments'],
	assumptions: ['title', 'owner', 'departments']
};

function titleProblem(register: DraftRegister, value: string): string | undefined {
	const text = value.trim();
	if (!text) return draftMessages.title[register];
	// An action's text and an assumption's statement may be long: their title is their first line.
	if (register === 'actions' || register === 'assumptions') return text.length > fieldLimits.longTextChars ? `The text must be ${fieldLimits.longTextChars} characters or fewer` : undefined;
	if (text.length > fieldLimits.titleChars) return draftMessages.titleTooLong;
	if (!plainLinePattern.test(text)) return draftMessages.titleCharacters;
	return undefined;
}

function nameProblem(value: string, missing: string): string | undefined {
	const name = value.trim();
	if (!name) return missing;
	if (name.length > fieldLimits.nameChars) return draftMessages.nameTooLong;
	if (!plainLinePattern.test(name)) return draftMessages.nameCharacters;
	return undefined;
}

function dateProblem(value: string, missing?: string): string | undefined {
	if (!value) return missing;
	return dateError(value);
}

/** What is wrong with the draft, field by field (empty when it can be written). */
export function draftErrors(register: DraftRegister, draft: Draft): DraftErrors {
	const errors: DraftErrors = {};
	const set = (field: DraftField, message: string | undefined) => {
		if (message) errors[field] = message;
	};
	set('title', titleProblem(register, draft.title));
	if (register === 'dependencies') {
		set('providerDepartment', draft.providerDepartment ? undefined : draftMessages.providerDepartment);
		set('providerOwner', nameProblem(draft.providerOwner, draftMessages.providerOwner));
		set(
			'receiverDepartment',
			!draft.receiverDepartment ? draftMessages.receiverDepartment : draft.receiverDepartment === draft.providerDepartment ? inputMessages.sameDepartments : undefined
		);
		set('receiverOwner', nameProblem(draft.receiverOwner, draftMessages.receiverOwner));
		set('neededBy', dateProblem(draft.neededBy));
		return errors;
	}
	set('owner', nameProblem(draft.owner, draftMessages.owner));
	if (register === 'blockers') {
		set('unblocker', draft.unblocker.trim() ? (draft.unblocker.trim().length > fieldLimits.shortTextChars ? `This must be ${fieldLimits.shortTextChars} characters or fewer` : undefined) : draftMessages.unblocker);
		set('raisedOn', dateProblem(draft.raisedOn, draftMessages.raisedOn));
	}
	if (register === 'actions') set('due', dateProblem(draft.due, draftMessages.due));
	return errors;
}

/**
 * The create input for a draft without errors: only what the person typed or picked.
 * `person` turns a typed name into a person (of the workspace when the name is known).
 */
export function draftInput<R extends DraftRegister>(register: R, draft: Draft, person: (name: string) => Person): CreateInput<R> {
	const title = draft.title.trim();
	const departments = [...draft.departments];
	switch (register) {
		case 'dependencies':
			return {
				title,
				providerDepartment: draft.providerDepartment,
				providerOwner: person(draft.providerOwner),
				receiverDepartment: draft.receiverDepartment,
				receiverOwner: person(draft.receiverOwner),
				deliverable: '',
				neededBy: draft.neededBy || null
			} satisfies CreateInput<'dependencies'> as CreateInput<R>;
		case 'blockers':
			return { title, owner: person(draft.owner), unblocker: draft.unblocker.trim(), raisedOn: draft.raisedOn, departments } satisfies CreateInput<'blockers'> as CreateInput<R>;
		case 'actions':
			return { text: title, owner: person(draft.owner), due: draft.due, departments } satisfies CreateInput<'actions'> as CreateInput<R>;
		case 'risks':
			return { title, owner: person(draft.owner), departments } satisfies CreateInput<'risks'> as CreateInput<R>;
		case 'assumptions':
			return { statement: title, owner: person(draft.owner), departments } satisfies CreateInput<'assumptions'> as CreateInput<R>;
	}
	throw new Error(`no draft for ${String(register)}`);
}
