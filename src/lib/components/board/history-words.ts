/**
 * The change ledger in words: "Priya Shah (DfE) changed forecast 12 Mar → 30 Apr". Pure functions over
 * the history API's items, shared by a record's History section and the board's activity feed. Values
 * come from the ledger as JSON, so every shape is checked before it is read (a ledger entry written by
 * an older server, or a field another program added, is described plainly rather than trusted).
 */
import type { HistoryItem, LedgerActor } from '../../protocol/ledger.ts';
import { createdField } from '../../protocol/ledger.ts';
import { ratingLevels, ratingLevelInfo, type RatingLevel } from '../../protocol/ratings.ts';
import { escalationLevelLabels, registerNouns, type EscalationLevel } from '../../protocol/registers.ts';
import type { DateFormat } from '../../date-format.ts';
import { statusLabel } from './labels.ts';

/** What a description needs to know about the workspace. */
export interface HistoryContext {
	/** A department's short name (`DfE`), or undefined when the workspace does not know the id. */
	departmentCode(id: string): string | undefined;
	/** The current year (`2026`): dates in it are written without the year. */
	thisYear: string;
	/** The workspace's date formatter. */
	dates: DateFormat;
}

/** The context for a board: department short names from the workspace's list, this year from `today`. */
export function historyContext(departments: { department(id: string): { code: string } | undefined }, today: string, dates: DateFormat): HistoryContext {
	return { departmentCode: (id) => departments.department(id)?.code, thisYear: today.slice(0, 4), dates };
}

/** One change in words: the verb phrase, and for long text the before/after excerpts. */
export interface ChangeWords {
	field: string;
	/** "changed forecast 12 Mar → 30 Apr", "commented: “Signed off”". */
	text: string;
	/** Long text: what it said before and after (excerpts around the change). */
	excerpt?: { before: string; after: string };
	/** A record's first entry. */
	created?: boolean;
}

const fieldNames: Record<string, string> = {
	title: 'title',
	description: 'notes',
	owner: 'owner',
	departments: 'departments',
	status: 'status',
	providerDepartment: 'provider',
	providerOwner: 'provider owner',
	receiverDepartment: 'receiver',
	receiverOwner: 'receiver owner',
	deliverable: 'deliverable',
	doneCriteria: 'done criteria',
	neededBy: 'needed-by date',
	committed: 'committed date',
	forecast: 'forecast',
	impact: 'impact if missed',
	rating: 'confidence',
	narrative: 'confidence narrative',
	unblocker: 'unblocker',
	ask: 'ask',
	severity: 'severity',
	raisedOn: 'raised-on date',
	targetResolution: 'target resolution date',
	blocks: 'what it blocks',
	text: 'text',
	due: 'due date',
	originalDue: 'original due date',
	meeting: 'source meeting',
	decidedOn: 'decision date',
	forum: 'forum',
	decisionMakers: 'decision-makers',
	rationale: 'rationale',
	supersedes: 'what it supersedes',
	supersededBy: 'correction',
	createdActions: 'actions created',
	links: 'linked records',
	archived: 'archived',
	likelihood: 'likelihood',
	proximity: 'proximity',
	mitigations: 'mitigations',
	statement: 'statement',
	validationDate: 'validation date'
};

/** The words for a field's name ("neededBy" → "needed-by date"); unknown fields are spelled out. */
export function fieldName(field: string): string {
	return fieldNames[field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Fields a person can pick in the activity feed's filter, with their words. */
export const filterableFields: ReadonlyArray<{ field: string; label: string }> = [
	{ field: createdField, label: 'created' },
	...['title', 'status', 'owner', 'rating', 'forecast', 'neededBy', 'committed', 'due', 'severity', 'description', 'departments'].map((field) => ({ field, label: fieldName(field) })),
	{ field: 'comments', label: 'comments' },
	{ field: 'ratingHistory', label: 'ratings' },
	{ field: 'escalations', label: 'escalations' },
	{ field: 'replans', label: 're-plans' },
	{ field: 'archived', label: 'archived or restored' },
	{ field: 'forDecision', label: 'for decision by the Missions Board' }
];

const isoDay = /^\d{4}-\d{2}-\d{2}$/;
const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const quote = (value: string, max = 120) => `“${value.length > max ? `${value.slice(0, max - 1)}…` : value}”`;

/** "Priya Shah (DfE)"; the administrator and unknown departments get the name alone. */
export function actorLabel(by: LedgerActor, context: HistoryContext): string {
	const code = by.department ? context.departmentCode(by.department) : undefined;
	return code ? `${by.name} (${code})` : by.name;
}

function isRating(value: unknown): value is RatingLevel {
	return typeof value === 'string' && (ratingLevels as readonly string[]).includes(value);
}

/** A field's value in words, for "from → to". */
function valueWords(field: string, value: unknown, context: HistoryContext): string {
	if (value === null || value === undefined || value === '') return 'nothing';
	if (field === 'rating' && isRating(value)) return ratingLevelInfo[value].label;
	if (field === 'status' && typeof value === 'string') return statusLabel(value);
	if ((field === 'providerDepartment' || field === 'receiverDepartment') && typeof value === 'string') return context.departmentCode(value) ?? value;
	if (field === 'departments' && Array.isArray(value)) return value.length === 0 ? 'none' : value.map((id) => (typeof id === 'string' ? (context.departmentCode(id) ?? id) : '?')).join(', ');
	if (typeof value === 'string' && isoDay.test(value)) return context.dates.near(value, context.thisYear);
	if (typeof value === 'string') return quote(value, 80);
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	if (typeof value === 'number') return String(value);
	if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((item) => (isRecord(item) && typeof item.name === 'string' ? item.name : '…')).join(', ');
	if (isRecord(value) && typeof value.name === 'string') return value.name;
	if (isRecord(value) && typeof value.title === 'string') return quote(value.title, 80);
	return 'a new value';
}

/** One appended log entry (a comment, a rating, an escalation, a re-plan) in words. */
function appendedWords(field: string, entry: unknown, context: HistoryContext): string {
	if (!isRecord(entry)) return `added to ${fieldName(field)}`;
	switch (field) {
		case 'comments':
			return `commented: ${quote(text(entry.text))}`;
		case 'ratingHistory': {
			const rating = isRating(entry.rating) ? ratingLevelInfo[entry.rating].label : 'unrated';
			const why = text(entry.narrative);
			return `rated it ${rating}${why ? `: ${quote(why)}` : ''}`;
		}
		case 'escalations': {
			const level = escalationLevelLabels[entry.level as EscalationLevel] ?? text(entry.level);
			const forum = text(entry.forum);
			return `escalated it to ${level}${forum ? ` (${forum})` : ''}`;
		}
		case 'replans': {
			const from = valueWords('due', entry.from, context);
			const to = valueWords('due', entry.to, context);
			const reason = text(entry.reason);
			return `re-planned it ${from} → ${to}${reason ? `: ${quote(reason)}` : ''}`;
		}
		default:
			return `added to ${fieldName(field)}`;
	}
}

/** The words of one change, as its record's history shows it (the feed adds which record). */
export function describeChange(item: HistoryItem, context: HistoryContext): ChangeWords {
	return { field: item.field, ...words(item, context) };
}

/** Fields a log entry already tells (a rating entry has the rating and its narrative; a re-plan, the new due date). */
const toldBy: Readonly<Record<string, readonly string[]>> = {
	ratingHistory: ['rating', 'narrative'],
	replans: ['due']
};

function words(item: HistoryItem, context: HistoryContext): Omit<ChangeWords, 'field'> {
	const { field, before, after, register } = item;
	if (field === createdField) return { text: `created this ${registerNouns[register]}${typeof after === 'string' && after ? ` as ${quote(after)}` : ''}`, created: true };
	if (field === 'removed') return { text: `removed this ${registerNouns[register]}` };
	if (field === 'archived' && typeof after === 'boolean') return { text: after ? 'archived it' : 'restored it' };
	if (field === 'refAliases') return { text: 'renumbered it' };
	if (field === 'forDecision') {
		const question = isRecord(after) ? text(after.note) : '';
		if (isRecord(after)) return { text: `${isRecord(before) ? 'changed the question for' : 'put it to'} the Missions Board for a decision${question ? `: ${quote(question)}` : ''}` };
		return { text: 'took it off the Missions Board’s list for decision' };
	}
	if (['comments', 'ratingHistory', 'escalations', 'replans'].includes(field)) {
		const entries = Array.isArray(after) ? after : [after];
		return { text: entries.map((entry) => appendedWords(field, entry, context)).join('; ') };
	}
	if (item.inserted !== undefined || item.deleted !== undefined) {
		return { text: `changed ${fieldName(field)}`, excerpt: { before: text(before), after: text(after) } };
	}
	if (Array.isArray(before) && Array.isArray(after) && ['links', 'blocks', 'createdActions', 'supersedes'].includes(field)) {
		const added = after.length - before.filter((id) => after.includes(id)).length;
		const removed = before.length - before.filter((id) => after.includes(id)).length;
		const parts = [added > 0 ? `added ${added}` : '', removed > 0 ? `removed ${removed}` : ''].filter(Boolean).join(', ');
		return { text: `changed ${fieldName(field)}${parts ? ` (${parts})` : ''}` };
	}
	if (typeof before === 'string' && typeof after === 'string' && !isoDay.test(after) && after.length > 80) {
		return { text: `changed ${fieldName(field)}`, excerpt: { before, after } };
	}
	if (before === null || before === undefined || before === '') return { text: `set ${fieldName(field)} to ${valueWords(field, after, context)}` };
	if (after === null || after === undefined || after === '') return { text: `cleared ${fieldName(field)} (was ${valueWords(field, before, context)})` };
	return { text: `changed ${fieldName(field)} ${valueWords(field, before, context)} → ${valueWords(field, after, context)}` };
}

/** Items of one person's one update to one record, kept together: the ledger writes them at one moment. */
export interface HistoryGroup {
	key: string;
	at: number;
	by: LedgerActor;
	recordId: string;
	ref: string;
	register: HistoryItem['register'];
	changes: ChangeWords[];
}

/**
 * Groups consecutive items of the same update (same moment, person and record) so a line reads
 * "Priya Shah (DfE) changed status …; changed forecast …". Newest first, as the API sends them;
 * a creation is one line, "created", without the first values it came with.
 */
export function groupHistory(items: readonly HistoryItem[], context: HistoryContext): HistoryGroup[] {
	const groups: HistoryGroup[] = [];
	for (const item of items) {
		const last = groups.at(-1);
		const words = describeChange(item, context);
		if (last && last.at === item.at && last.by.id === item.by.id && last.recordId === item.recordId) {
			// A creation says "created"; the first values it came with are the record itself, not changes.
			if (words.created) last.changes = [words];
			else if (!last.changes[0]?.created) last.changes.push(words);
			continue;
		}
		groups.push({ key: `${item.at}:${item.by.id}:${item.recordId}:${groups.length}`, at: item.at, by: item.by, recordId: item.recordId, ref: item.ref, register: item.register, changes: [words] });
	}
	for (const group of groups) {
		const told = new Set(group.changes.flatMap((change) => toldBy[change.field] ?? []));
		if (told.size > 0) group.changes = group.changes.filter((change) => !told.has(change.field));
	}
	return groups;
}
