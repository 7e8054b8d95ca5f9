/**
 * Meeting capture: decisions and actions recorded as they are spoken, written into the board
 * document as server transactions attributed to whoever recorded them (so they appear live on
 * every board page and wall), tagged with the meeting; and the review of the open actions the
 * previous meeting of the same forum left (done, re-planned = a slip, or carried forward).
 */
import { createRecord, listRecords, readRecord, replanAction, updateRecord, validRecords } from '#lib/board/board-doc.ts';
import { BoardError } from '#lib/board/errors.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { ActionReview, Captured, CaptureInput, MeetingRecord, ReviewInput } from '#lib/protocol/meeting.ts';
import { captureInput, reviewInput } from '#lib/protocol/meeting.ts';
import type { Person } from '#lib/protocol/record-fields.ts';
import type { ActionRecord } from '#lib/protocol/records.ts';
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { Store } from '../store/store.ts';
import { MeetingError } from './meeting-errors.ts';
import type { MeetingRecords } from './meeting-records.ts';
import { meetingRecordFor, readableFor } from './meeting-visibility.ts';
import { listBoards, missionScope, missionsBoardScope, type BoardScope, type MissionRecords, type MissionScope, type MissionsBoardScope } from './mission-scope.ts';

export interface AgendaItem {
	boardId: string;
	boardTitle: string;
	action: ActionRecord;
	/** What this meeting did with it, if anything yet. */
	review: ActionReview | undefined;
	overdue: boolean;
}

/** A decision or action the meeting recorded, as it reads now (for the meeting's page). */
export interface RecordedItem {
	boardId: string;
	register: 'decisions' | 'actions';
	id: string;
	ref: string;
	title: string;
	/** An action's owner and due date and status; empty for a decision. */
	owner: string;
	due: string | null;
	status: string;
}

export interface MeetingCaptureOptions {
	store: Store;
	workspace: MissionRecords;
	hub: DocHub;
	records: MeetingRecords;
	now?: () => number;
}

const actorOf = (principal: Principal): Person => ({ name: principal.name.slice(0, 120), id: principal.id.slice(0, 64) });
const reviewKey = (boardId: string, actionId: string) => `${boardId}/${actionId}`;

function boardFailure(error: unknown): never {
	if (error instanceof BoardError) {
		throw new MeetingError(error.code === 'record_not_found' ? 'not_found' : 'invalid_payload', error.message);
	}
	throw error;
}

/** What `principal` may see and do in a meeting: its mission's boards, or (a Missions Board meeting) those of its missions. */
export function meetingScope(records: MissionRecords, principal: Principal, meeting: Pick<MeetingRecord, 'missionId' | 'missionIds'>): Promise<MissionScope | MissionsBoardScope | undefined> {
	return meeting.missionIds.length > 0 ? missionsBoardScope(records, principal, meeting.missionIds) : missionScope(records, principal, meeting.missionId);
}

/** The first board of `missionId` the scope may write to: where a capture "into the mission" goes. */
function missionBoard(scope: BoardScope, missionId: string): string {
	const boards = scope.boards.filter((board) => board.missionId === missionId);
	if (boards.length === 0) throw new MeetingError('not_found', 'that mission is not part of this meeting, or you cannot see its boards');
	const writable = boards.find((board) => scope.writable.has(board.id));
	if (!writable) throw new MeetingError('forbidden', 'you cannot record on that mission\'s boards: their editors and leads can');
	return writable.id;
}

export class MeetingCapture {
	#store: Store;
	#workspace: MissionRecords;
	#hub: DocHub;
	#records: MeetingRecords;
	#now: () => number;

	constructor(options: MeetingCaptureOptions) {
		this.#store = options.store;
		this.#workspace = options.workspace;
		this.#hub = options.hub;
		this.#records = options.records;
		this.#now = options.now ?? Date.now;
	}

	/**
	 * The meeting as `principal` may see it and what they may do in its mission; not found when
	 * they cannot read the meeting's board (`meeting-visibility.ts`).
	 */
	async meeting(principal: Principal, meetingId: string): Promise<{ meeting: MeetingRecord; scope: MissionScope | MissionsBoardScope }> {
		const stored = await this.#records.get(meetingId);
		const scope = stored && (await meetingScope(this.#workspace, principal, stored));
		const meeting = stored && scope && meetingRecordFor(stored, readableFor(principal, new Map((await listBoards(this.#workspace)).map((board) => [board.id, board]))));
		if (!meeting || !scope) throw new MeetingError('not_found', 'no such meeting, or you cannot see it');
		return { meeting, scope };
	}

	#writableBoard(scope: BoardScope, boardId: string): string {
		if (!scope.boards.some((board) => board.id === boardId)) throw new MeetingError('not_found', 'that board is not part of this meeting\'s missions');
		if (!scope.writable.has(boardId)) throw new MeetingError('forbidden', 'you cannot record on that board: editors of the board and leads can');
		return boardId;
	}

	/** Records a decision or an action in the meeting; returns where it went and its ref. */
	async capture(principal: Principal, meetingId: string, body: CaptureInput): Promise<Captured> {
		const parsed = captureInput.safeParse(body);
		if (!parsed.success) throw new MeetingError('invalid_payload', parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
		const input = parsed.data;
		const { meeting, scope } = await this.meeting(principal, meetingId);
		const boardId = this.#writableBoard(scope, input.boardId ?? (input.missionId ? missionBoard(scope, input.missionId) : meeting.boardId));
		const actor = actorOf(principal);
		const created = await this.#hub
			.transact(boardDocName(boardId), principal, (doc) =>
				input.kind === 'decision'
					? createRecord(
							doc,
							'decisions',
							{
								text: input.text,
								forum: meeting.forum,
								decidedOn: meeting.date,
								rationale: input.rationale,
								decisionMakers: input.decisionMakers.map((name) => ({ name }))
							},
							actor
						)
					: createRecord(
							doc,
							'actions',
							{ text: input.text, owner: { name: input.owner }, due: input.due, meeting: { id: meeting.id, title: meeting.title, date: meeting.date } },
							actor
						)
			)
			.catch(boardFailure);
		const register = input.kind === 'decision' ? 'decisions' : 'actions';
		await this.#records.update(meeting.id, (current) => ({ ...current, captured: [...current.captured, { boardId, register, id: created.id, ref: created.ref }] }));
		return { meetingId: meeting.id, boardId, register, id: created.id, ref: created.ref, ...(input.kind === 'action' ? { owner: { name: input.owner } } : {}) };
	}

	/** Marks an inherited open action done, re-plans it (a slip) or carries it forward. */
	async review(principal: Principal, meetingId: string, body: ReviewInput): Promise<ActionReview> {
		const parsed = reviewInput.safeParse(body);
		if (!parsed.success) throw new MeetingError('invalid_payload', parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
		const input = parsed.data;
		const { meeting, scope } = await this.meeting(principal, meetingId);
		const boardId = this.#writableBoard(scope, input.boardId);
		const actor = actorOf(principal);
		await this.#hub
			.transact(boardDocName(boardId), principal, (doc) => {
				const found = readRecord(doc, 'actions', input.actionId);
				if (!found) throw new MeetingError('not_found', 'no such action on that board');
				if (input.outcome === 'done') updateRecord(doc, 'actions', input.actionId, { status: 'done' }, actor);
				if (input.outcome === 'replanned') replanAction(doc, input.actionId, { due: input.due, reason: input.reason || `re-planned at ${meeting.title}` }, actor);
			})
			.catch(boardFailure);
		const review: ActionReview = { boardId, actionId: input.actionId, outcome: input.outcome, by: { id: principal.id, name: principal.name }, at: this.#now() };
		const key = reviewKey(boardId, input.actionId);
		await this.#records.update(meeting.id, (current) => ({
			...current,
			reviews: [...current.reviews.filter((entry) => reviewKey(entry.boardId, entry.actionId) !== key), review]
		}));
		return review;
	}

	/**
	 * The open actions this meeting opens with: those the previous meeting of the same forum
	 * created, and those it carried forward or re-planned, that are still open (or that this
	 * meeting has just reviewed, so the outcome stays visible).
	 */
	async agenda(principal: Principal, meetingId: string, today: string): Promise<AgendaItem[]> {
		const { meeting, scope } = await this.meeting(principal, meetingId);
		if (!meeting.previousMeetingId) return [];
		const previous = await this.#records.get(meeting.previousMeetingId);
		if (!previous) return [];
		const inherited = new Set(previous.reviews.filter((review) => review.outcome !== 'done').map((review) => reviewKey(review.boardId, review.actionId)));
		const reviews = new Map(meeting.reviews.map((review) => [reviewKey(review.boardId, review.actionId), review]));
		const items: AgendaItem[] = [];
		for (const board of scope.boards) {
			const actions = await this.#hub.withDoc(boardDocName(board.id), (shared) => validRecords(listRecords(shared.doc, 'actions')));
			for (const action of actions) {
				const key = reviewKey(board.id, action.id);
				const fromPrevious = action.meeting?.id === previous.id || inherited.has(key);
				const review = reviews.get(key);
				if (!fromPrevious || (action.status !== 'open' && !review)) continue;
				items.push({ boardId: board.id, boardTitle: board.title, action, review, overdue: action.status === 'open' && action.due < today });
			}
		}
		return items.sort((a, b) => a.action.due.localeCompare(b.action.due) || a.action.ref.localeCompare(b.action.ref));
	}
	/** What the meeting recorded, on the boards the reader may see, in the order it was recorded. */
	async recorded(principal: Principal, meetingId: string): Promise<RecordedItem[]> {
		const { meeting, scope } = await this.meeting(principal, meetingId);
		const found = new Map<string, RecordedItem>();
		for (const board of scope.boards) {
			const wanted = meeting.captured.filter((entry) => entry.boardId === board.id);
			if (wanted.length === 0) continue;
			await this.#hub.withDoc(boardDocName(board.id), (shared) => {
				const decisions = new Map(validRecords(listRecords(shared.doc, 'decisions')).map((record) => [record.id, record]));
				const actions = new Map(validRecords(listRecords(shared.doc, 'actions')).map((record) => [record.id, record]));
				for (const entry of wanted) {
					const key = reviewKey(board.id, entry.id);
					if (entry.register === 'decisions') {
						const decision = decisions.get(entry.id);
						if (decision) found.set(key, { boardId: board.id, register: 'decisions', id: entry.id, ref: decision.ref, title: decision.text, owner: '', due: null, status: decision.status });
					} else {
						const action = actions.get(entry.id);
						if (action) found.set(key, { boardId: board.id, register: 'actions', id: entry.id, ref: action.ref, title: action.text, owner: action.owner.name, due: action.due, status: action.status });
					}
				}
			});
		}
		return meeting.captured.flatMap((entry) => found.get(reviewKey(entry.boardId, entry.id)) ?? []);
	}
}
