/**
 * The daily digest's words: what happened to one person since their last digest (the events they
 * chose to get "in the daily digest"), what of theirs is due or overdue, and what others changed on
 * records they own. Pure: the scheduler (`daily-digest.ts`) gathers the facts. Nothing to say gives
 * no mail at all. Plain text, like every email: readable by every client and screen reader.
 */
import type { NotificationView } from '#lib/protocol/notifications.ts';
import type { WorkItem } from '#lib/protocol/my-work.ts';

/** One record someone else changed since the last digest. */
export interface ChangedRecord {
	ref: string;
	title: string;
	boardTitle: string;
	path: string;
	/** Who changed it (names, first seen first). */
	by: string[];
	/** Which fields (ledger field names, first seen first). */
	fields: string[];
}

export interface DigestFacts {
	personName: string;
	/** The workspace's date the digest is for (`yyyy-mm-dd`). */
	day: string;
	events: readonly NotificationView[];
	due: readonly WorkItem[];
	changed: readonly ChangedRecord[];
	origin: string;
	unsubscribeUrl: string;
}

export const digestMailLimits = {
	/** Lines per section; the rest is counted and the reader sent to the page. */
	perSection: 30,
	titleChars: 80
} as const;

const fieldWords: Readonly<Record<string, string>> = {
	created: 'created',
	comments: 'comments',
	ratingHistory: 'rating',
	escalations: 'escalation',
	providerOwner: 'provider owner',
	receiverOwner: 'receiver owner',
	neededBy: 'needed by',
	committed: 'committed date',
	targetResolution: 'target date',
	decisionMakers: 'decision-makers'
};

const clip = (text: string) => (text.length > digestMailLimits.titleChars ? `${text.slice(0, digestMailLimits.titleChars - 1)}…` : text);

function section(heading: string, lines: string[], more: string): string[] {
	if (lines.length === 0) return [];
	const shown = lines.slice(0, digestMailLimits.perSection);
	const rest = lines.length - shown.length;
	return [heading, '', ...shown, ...(rest > 0 ? [`…and ${rest} more: ${more}`] : []), ''];
}

/** The digest's subject and body, or undefined when there is nothing to tell. */
export function digestMail(facts: DigestFacts): { subject: string; text: string } | undefined {
	const { events, due, changed, origin } = facts;
	if (events.length === 0 && due.length === 0 && changed.length === 0) return undefined;
	const overdue = due.filter((item) => item.reason === 'overdue');
	const soon = due.filter((item) => item.reason === 'due');
	const dueLine = (item: WorkItem) => `- ${item.ref} ${clip(item.title)} (${item.boardTitle}), due ${item.date ?? 'unset'}: ${origin}${item.path}`;
	const counts = [events.length > 0 && `${events.length} new`, overdue.length > 0 && `${overdue.length} overdue`, soon.length > 0 && `${soon.length} due this week`, changed.length > 0 && `${changed.length} changed`].filter(Boolean).join(', ');
	const text = [
		`Hello ${facts.personName},`,
		'',
		`Your Mission Control digest for ${facts.day}.`,
		'',
		...section('What happened', events.map((event) => `- ${event.text} (${event.boardTitle}): ${origin}${event.path}`), `${origin}/me/notifications`),
		...section('Overdue', overdue.map(dueLine), `${origin}/me/work`),
		...section('Due within a week', soon.map(dueLine), `${origin}/me/work`),
		...section(
			'Changed on your records',
			changed.map((record) => `- ${record.ref} ${clip(record.title)} (${record.boardTitle}): ${record.fields.map((field) => fieldWords[field] ?? field).join(', ')} by ${record.by.join(', ')}: ${origin}${record.path}`),
			`${origin}/me/work`
		),
		'—',
		`All your work: ${origin}/me/work`,
		`You get this digest because of your notification settings: ${origin}/me/notifications`,
		`Stop these emails with one click: ${facts.unsubscribeUrl}`
	].join('\n');
	return { subject: `Your digest for ${facts.day}: ${counts} · Mission Control`, text };
}
