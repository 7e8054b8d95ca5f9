/**
 * The meeting pack: one document for a meeting, for people who never open the tool. Before the
 * meeting ends it is the agenda, after it the record: what changed since the last meeting of the
 * forum, red and late dependencies, escalated blockers, overdue actions and actions due in the next
 * fortnight across the mission's boards the reader can see, the mission's targets and milestones
 * where it has them, and, once the meeting has captured them, the decisions it made and the actions
 * it created. Everything is judged as at the meeting's date. Rendered as accessible HTML and as a
 * tagged PDF (pdf-format.ts).
 */
import type * as Y from 'yjs';
import { addDays } from '#lib/board/dates.ts';
import { dependencySlip, isActionOverdue, isDependencyLate, isDependencyOpen, isDependencyRed } from '#lib/board/derived.ts';
import { listRecords, validRecords } from '#lib/board/read.ts';
import { buildRefIndex } from '#lib/board/refs.ts';
import { exportTable, mergeTables, type ExportContext, type ExportTable } from '#lib/export/export-columns.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { missionsBoardForum, type MeetingRecord } from '#lib/protocol/meeting.ts';
import { registerNames, type RecordOf, type RegisterName } from '#lib/protocol/records.ts';
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { Meetings } from '../meetings/meetings.ts';
import type { SinceLastMeeting } from '../meetings/since-last-meeting.ts';
import type { MissionTracker } from '../missions/mission-tracker.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { milestonesSection, sinceSection, targetsSection, type PackSection } from './pack-sections.ts';
import type { ExportFile } from './exports.ts';
import { htmlDocumentCsp, renderDocument } from './html-document.ts';
import { tableHtml } from './html-format.ts';
import { toPdf } from './pdf-format.ts';
import { escapeHtml } from './html-document.ts';

/** Actions due within this many days of the meeting are on its agenda. */
export const packDefaults = { dueWithinDays: 14 } as const;

export type { PackSection } from './pack-sections.ts';

export interface MeetingPack {
	filename: string;
	title: string;
	kind: 'agenda' | 'record';
	meta: [string, string][];
	sections: PackSection[];
}

type Picked = { register: RegisterName; records: RecordOf<RegisterName>[] };

/** Keeps the named columns of a table, in the order named. */
function pick(table: ExportTable, headers: readonly string[]): ExportTable {
	const indexes = headers.map((header) => table.columns.findIndex((column) => column.header === header)).filter((i) => i >= 0);
	return { ...table, columns: indexes.map((i) => table.columns[i]!), rows: table.rows.map((row) => indexes.map((i) => row[i]!)) };
}

export class MeetingPacks {
	#meetings: Meetings;
	#workspace: Workspace;
	#hub: DocHub;
	#since: SinceLastMeeting;
	#missions: MissionTracker;

	constructor(options: { meetings: Meetings; workspace: Workspace; hub: DocHub; since: SinceLastMeeting; missions: MissionTracker }) {
		this.#meetings = options.meetings;
		this.#workspace = options.workspace;
		this.#hub = options.hub;
		this.#since = options.since;
		this.#missions = options.missions;
	}

	async html(principal: Principal, meetingId: string): Promise<ExportFile> {
		const pack = await this.pack(principal, meetingId);
		return { body: await packHtml(pack), type: 'text/html; charset=utf-8', filename: `${pack.filename}.html`, disposition: 'inline', csp: htmlDocumentCsp };
	}

	async pdf(principal: Principal, meetingId: string): Promise<ExportFile> {
		const pack = await this.pack(principal, meetingId);
		return { body: await toPdf(pack), type: 'application/pdf', filename: `${pack.filename}.pdf`, disposition: 'attachment' };
	}

	async pack(principal: Principal, meetingId: string): Promise<MeetingPack> {
		const { meeting, scope } = await this.#meetings.capture.meeting(principal, meetingId);
		const names = new Map((await this.#workspace.listDepartments({ includeArchived: true })).map((d) => [d.id, d.name]));
		const departmentName = (id: string) => names.get(id) ?? id;
		const today = meeting.date;
		const dueBy = addDays(today, packDefaults.dueWithinDays);
		const captured = new Set(meeting.captured.map((item) => item.id));
		const perSection = new Map<string, { board: string; table: ExportTable }[]>();
		const add = (key: string, board: string, table: ExportTable) => perSection.set(key, [...(perSection.get(key) ?? []), { board, table }]);

		for (const board of scope.boards) {
			const chosen = await this.#hub.withDoc(boardDocName(board.id), (shared) => choose(shared.doc, today, dueBy, captured));
			const context = contextOf(chosen.doc, today, departmentName);
			for (const [key, { register, records }] of Object.entries(chosen.sections)) add(key, board.title, exportTable(register, records, context));
		}
		const merged = (key: string, register: RegisterName, headers: readonly string[]) => pick(mergeTables(perSection.get(key) ?? [], register), ['Board', ...headers]);
		const ended = meeting.endedAt !== null;
		const [since, tracking] = await Promise.all([this.#since.forMeeting(principal, meeting), this.#missions.tracking(principal, meeting.missionId)]);
		const sections: PackSection[] = [
			sinceSection(since),
			{ heading: 'Red and late dependencies', intro: 'Open dependencies rated red (or amber/red), late, or forecast to arrive after they are needed.', table: merged('dependencies', 'dependencies', ['Ref', 'Title', 'Provider department', 'Receiver department', 'Confidence', 'Needed by', 'Forecast', 'Slip (days)', 'Status', 'Narrative']) },
			{ heading: 'Escalated blockers', intro: 'Blockers escalated up the ladder and not yet resolved.', table: merged('blockers', 'blockers', ['Ref', 'Title', 'Owner', 'Unblocker', 'Ask', 'Escalated to', 'Days blocked', 'Target resolution']) },
			{ heading: 'Overdue actions', intro: 'Open actions past their due date.', table: merged('overdue', 'actions', ['Ref', 'Action', 'Owner', 'Due', 'Original due', 'Re-plans']) },
			{ heading: `Actions due in the next ${packDefaults.dueWithinDays} days`, intro: `Open actions due from ${today} to ${dueBy}.`, table: merged('due', 'actions', ['Ref', 'Action', 'Owner', 'Due', 'Re-plans']) }
		];
		if (tracking.targets.length > 0) sections.push(targetsSection(tracking.targets));
		if (tracking.milestones.length > 0) sections.push(milestonesSection(tracking.milestones));
		if (ended || captured.size > 0) {
			sections.push(
				{ heading: 'Decisions made', intro: 'Decisions this meeting recorded.', table: merged('decisions', 'decisions', ['Ref', 'Decision', 'Decided on', 'Decision-makers', 'Rationale', 'Status']) },
				{ heading: 'Actions created', intro: 'Actions this meeting agreed.', table: merged('created', 'actions', ['Ref', 'Action', 'Owner', 'Due']) }
			);
		}
		return {
			filename: `${slug(meeting.title)}-${meeting.date}-${ended ? 'record' : 'agenda'}`,
			title: `${meeting.title}: ${ended ? 'record' : 'agenda'}`,
			kind: ended ? 'record' : 'agenda',
			meta: metaOf(meeting, 'mission' in scope ? scope.mission.title : missionsBoardForum, scope.boards.length, principal),
			sections
		};
	}
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'meeting';

export async function packHtml(pack: MeetingPack): Promise<string> {
	const body = pack.sections.map((section) => `${tableHtml(section.table, section.heading).replace('</h2>', `</h2><p>${escapeHtml(section.intro)}</p>`)}`).join('\n');
	return renderDocument({ title: pack.title, meta: pack.meta, body });
}

function choose(doc: Y.Doc, today: string, dueBy: string, captured: Set<string>): { doc: Y.Doc; sections: Record<string, Picked> } {
	const dependencies = validRecords(listRecords(doc, 'dependencies')).filter((d) => isDependencyOpen(d) && (isDependencyRed(d) || isDependencyLate(d, today) || dependencySlip(d).forecastLate));
	const blockers = validRecords(listRecords(doc, 'blockers')).filter((b) => b.status === 'escalated');
	const actions = validRecords(listRecords(doc, 'actions'));
	const open = actions.filter((a) => a.status === 'open');
	return {
		doc,
		sections: {
			dependencies: { register: 'dependencies', records: dependencies },
			blockers: { register: 'blockers', records: blockers },
			overdue: { register: 'actions', records: open.filter((a) => isActionOverdue(a, today)) },
			due: { register: 'actions', records: open.filter((a) => a.due >= today && a.due <= dueBy) },
			decisions: { register: 'decisions', records: validRecords(listRecords(doc, 'decisions')).filter((d) => captured.has(d.id)) },
			created: { register: 'actions', records: actions.filter((a) => captured.has(a.id)) }
		}
	};
}

function contextOf(doc: Y.Doc, today: string, departmentName: (id: string) => string): ExportContext {
	const refs = new Map<string, string>();
	for (const register of registerNames) for (const [id, info] of buildRefIndex(doc, register).byId) refs.set(id, info.ref);
	return { today, departmentName, refOf: (id) => refs.get(id) };
}

function metaOf(meeting: MeetingRecord, mission: string, boards: number, principal: Principal): [string, string][] {
	return [
		['Mission', mission],
		['Forum', meeting.forum],
		['Date', meeting.date],
		['Chair', meeting.chair.name],
		['Status', meeting.endedAt === null ? 'agenda (the meeting has not ended)' : `record (ended ${new Date(meeting.endedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC)`],
		['Boards', `${boards} you can see`],
		['Prepared for', principal.name]
	];
}
