/**
 * Meeting mode and the wall screen on the wire: the wall's views, playlists, the stored meeting
 * record, the live meeting state every wall and follower renders, and the socket.io event maps.
 * One zod schema per payload; types come from z.infer.
 */
import { z } from 'zod';
import { displayText, isoDate, person, recordId, timestamp } from './record-fields.ts';
import { registerName } from './registers.ts';
import { entityId } from './workspace.ts';

// ── Views and playlists ──────────────────────────────────────────────────────

export const wallViews = ['summary', 'since', 'dependencies', 'blockers', 'actions', 'decisions', 'map', 'map-red', 'risks'] as const;
export const wallView = z.enum(wallViews);
export type WallView = z.infer<typeof wallView>;

export const wallViewLabels = {
	summary: 'Mission summary',
	/** Headed "Since the last <forum>" on the wall once the meeting it compares with is known. */
	since: 'Since the last meeting',
	dependencies: 'Red and late dependencies',
	blockers: 'Escalated blockers',
	actions: 'Overdue and due this week',
	decisions: 'Latest decisions',
	map: 'Dependency map',
	'map-red': 'Dependency map: red and late only',
	risks: 'Top risks and assumptions to validate'
} as const satisfies Record<WallView, string>;

export const playlistLimits = { minSeconds: 5, maxSeconds: 600, maxItems: 24 } as const;

export const playlistItem = z.strictObject({
	view: wallView,
	seconds: z.number().int().min(playlistLimits.minSeconds).max(playlistLimits.maxSeconds)
});
export type PlaylistItem = z.infer<typeof playlistItem>;

/** What a lead sends to set a mission's playlist. */
export const playlistInput = z.strictObject({
	items: z.array(playlistItem).min(1, 'a playlist needs at least one view').max(playlistLimits.maxItems)
});
export type PlaylistInput = z.infer<typeof playlistInput>;

/** A mission's playlist as stored (collection `playlists`, id = mission id). */
export const playlist = z.object({
	missionId: entityId,
	items: z.array(playlistItem).min(1),
	/** False for the built-in default (nothing stored yet). */
	custom: z.boolean().default(true),
	updatedAt: timestamp,
	updatedBy: z.string()
});
export type Playlist = z.infer<typeof playlist>;

/** The playlist a mission has until a lead sets one. */
export const defaultPlaylistItems: readonly PlaylistItem[] = Object.freeze([
	{ view: 'summary', seconds: 20 },
	{ view: 'since', seconds: 20 },
	{ view: 'dependencies', seconds: 20 },
	{ view: 'blockers', seconds: 20 },
	{ view: 'actions', seconds: 20 },
	{ view: 'decisions', seconds: 20 },
	{ view: 'map', seconds: 30 },
	{ view: 'map-red', seconds: 20 },
	{ view: 'risks', seconds: 20 }
]);

export function defaultPlaylist(missionId: string): Playlist {
	return { missionId, items: defaultPlaylistItems.map((item) => ({ ...item })), custom: false, updatedAt: 0, updatedBy: 'default' };
}

// ── Meetings ─────────────────────────────────────────────────────────────────

export const meetingLimits = { forumChars: 120, titleChars: 200 } as const;

export const forumName = displayText(meetingLimits.forumChars, 'a forum name');

/** The record the chair has in focus: one record of one board. */
export const recordFocus = z.strictObject({ boardId: entityId, register: registerName, recordId });
export type RecordFocus = z.infer<typeof recordFocus>;

export const meetingPerson = z.object({ id: z.string().min(1).max(200), name: displayText(200, 'a name') });
export type MeetingPerson = z.infer<typeof meetingPerson>;

export const reviewOutcomes = ['done', 'replanned', 'carried'] as const;
export const reviewOutcome = z.enum(reviewOutcomes);
export type ReviewOutcome = z.infer<typeof reviewOutcome>;

/** What the meeting did with an open action it inherited from the previous meeting. */
export const actionReview = z.object({
	boardId: entityId,
	actionId: recordId,
	outcome: reviewOutcome,
	by: meetingPerson,
	at: timestamp
});
export type ActionReview = z.infer<typeof actionReview>;

/** A decision or action recorded in the meeting (where it went). */
export const capturedRef = z.object({ boardId: entityId, register: z.enum(['decisions', 'actions']), id: recordId, ref: z.string() });
export type CapturedRef = z.infer<typeof capturedRef>;

/** Where the walls were when the state was last saved: a restarted server resumes from here. */
export const meetingPosition = z.object({
	index: z.number().int().min(0),
	view: wallView,
	focus: recordFocus.nullable(),
	paused: z.boolean()
});
export type MeetingPosition = z.infer<typeof meetingPosition>;

// ── The Missions Board meeting across missions ──────────────────────────────

/**
 * The key a Missions Board meeting runs under where a mission's meeting has its mission id (the
 * socket.io room `mission:missions-board`, the meeting's `missionId`): one runs at a time. Mission
 * ids are 12 characters, so none is this.
 */
export const missionsBoardKey = 'missions-board';
export const missionsBoardForum = 'Missions Board';
export const missionsBoardLimits = { maxMissions: 50, screenSeconds: 30 } as const;

/** The screens of a Missions Board meeting: the Missions Board view, then one per mission, in the chair's order. */
export function missionsBoardPlaylist(missionIds: readonly string[]): PlaylistItem[] {
	return [{ view: 'summary', seconds: missionsBoardLimits.screenSeconds }, ...missionIds.map(() => ({ view: 'summary' as const, seconds: missionsBoardLimits.screenSeconds }))];
}

/** What screen `index` of a Missions Board meeting shows: the view across missions (0), or one mission. */
export function missionsBoardScreen(missionIds: readonly string[], index: number): { kind: 'board' } | { kind: 'mission'; missionId: string } {
	const missionId = index > 0 ? missionIds[index - 1] : undefined;
	return missionId ? { kind: 'mission', missionId } : { kind: 'board' };
}

/** `POST /api/meetings/missions-board`: the missions it spans (every one the chair can see when absent). */
export const startMissionsBoardInput = z.strictObject({
	missionIds: z.array(entityId).min(1, 'pick at least one mission').max(missionsBoardLimits.maxMissions).optional(),
	title: displayText(meetingLimits.titleChars, 'a title').optional(),
	date: isoDate.optional()
});
export type StartMissionsBoardInput = z.infer<typeof startMissionsBoardInput>;

/** A meeting as stored (collection `meetings`). */
export const meetingRecord = z.object({
	id: entityId,
	/** The mission, or `missionsBoardKey` for a Missions Board meeting across `missionIds`. */
	missionId: entityId,
	/** The missions a Missions Board meeting spans, in agenda order; empty for a mission's own meeting. */
	missionIds: z.array(entityId).default([]),
	forum: forumName,
	title: displayText(meetingLimits.titleChars, 'a title'),
	date: isoDate,
	/** The board decisions and actions go to unless the capture names another. */
	boardId: entityId,
	chair: meetingPerson,
	startedBy: meetingPerson,
	startedAt: timestamp,
	endedAt: timestamp.nullable(),
	/** The previous meeting of the same mission and forum, whose open actions open this one. */
	previousMeetingId: entityId.nullable(),
	reviews: z.array(actionReview).default([]),
	captured: z.array(capturedRef).default([]),
	/** Everyone (not walls) who was connected to the mission room while the meeting ran, in order of arrival. */
	attendees: z.array(meetingPerson).default([]),
	position: meetingPosition
});
export type MeetingRecord = z.infer<typeof meetingRecord>;

/** The live state of a mission's running meeting: what every wall and follower shows. */
export const meetingState = z.object({
	meetingId: entityId,
	missionId: entityId,
	/** A Missions Board meeting's missions: screen `index` shows `missionsBoardScreen(missionIds, index)`. */
	missionIds: z.array(entityId).default([]),
	forum: z.string(),
	title: z.string(),
	date: isoDate,
	boardId: entityId,
	chair: meetingPerson,
	playlist: z.array(playlistItem).min(1),
	/** Position in the playlist (the view may be off-playlist after a focus). */
	index: z.number().int().min(0),
	view: wallView,
	focus: recordFocus.nullable(),
	paused: z.boolean(),
	/** How long the current view stays before the rotation moves on. */
	dwellMs: z.number().int().nonnegative(),
	/** Grows with every change: a follower ignores anything older than what it has. */
	seq: z.number().int().nonnegative(),
	/** Server clock (epoch ms) of the last change. */
	changedAt: timestamp,
	/** People (not walls) connected to the mission room: handover candidates. */
	participants: z.array(meetingPerson),
	walls: z.number().int().nonnegative(),
	/** The chair shows the boards as they stood at this moment (epoch ms) on every wall; null: live. */
	asAt: timestamp.nullable().default(null)
});
export type MeetingState = z.infer<typeof meetingState>;

/** A mission's meeting as broadcast: `meeting: null` when none is running. */
export const missionMeeting = z.object({ missionId: entityId, meeting: meetingState.nullable() });
export type MissionMeeting = z.infer<typeof missionMeeting>;

// ── Since the last meeting ───────────────────────────────────────────────────

/** `GET /api/missions/:id/since?forum=`: compare with the last ended meeting of this forum (any forum when absent). */
export const sinceQuery = z.strictObject({ forum: forumName.optional() });

/** What "since" means: the end of a meeting, or (no meeting has ended yet) a week before `at`. */
export const sinceMark = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('meeting'), meetingId: entityId, title: z.string(), forum: z.string(), date: isoDate }),
	z.object({ kind: z.literal('week') })
]);
export type SinceMark = z.infer<typeof sinceMark>;

/**
 * The boards of a mission as they stood at `from`: what a wall's "Since the last meeting" view
 * compares its live boards with (the comparison itself runs on the wall, so it follows every
 * edit without asking the server again). One entry per board the caller may see.
 */
export const sinceBaseline = z.object({
	missionId: entityId,
	since: sinceMark,
	/** Epoch ms of the moment compared with. */
	from: timestamp,
	boards: z.array(
		z.object({
			boardId: entityId,
			/** The board document as it stood at `from`, a Yjs update in base64 (empty when the board did not exist yet); null when that moment is not kept. */
			state: z.string().nullable(),
			/** Why `state` is null. */
			note: z.string().optional()
		})
	)
});
export type SinceBaseline = z.infer<typeof sinceBaseline>;

// ── Client → server payloads ─────────────────────────────────────────────────

export const missionTarget = z.strictObject({ missionId: entityId });
export type MissionTarget = z.infer<typeof missionTarget>;

export const startMeetingInput = z.strictObject({
	missionId: entityId,
	forum: forumName,
	title: displayText(meetingLimits.titleChars, 'a title').optional(),
	/** Where decisions and actions go by default; the mission's first board when absent. */
	boardId: entityId.optional(),
	/** The meeting's date; today (UK time) when absent. */
	date: isoDate.optional()
});
export type StartMeetingInput = z.infer<typeof startMeetingInput>;

export const focusInput = z.strictObject({
	missionId: entityId,
	view: wallView,
	focus: recordFocus.nullable().default(null),
	/** A Missions Board meeting: the screen to show (0 the view across missions, then one per mission). */
	screen: z.number().int().min(0).max(missionsBoardLimits.maxMissions).optional()
});
export type FocusInput = z.input<typeof focusInput>;

export const pauseInput = z.strictObject({ missionId: entityId, paused: z.boolean() });
export type PauseInput = z.infer<typeof pauseInput>;

/** `meeting:as-at`: the chair shows the boards as at `at` on every wall (null: back to live). Not in the future (checked by the server). */
export const asAtInput = z.strictObject({ missionId: entityId, at: z.iso.datetime({ offset: true }).nullable() });
export type AsAtInput = z.infer<typeof asAtInput>;

/** `GET /api/missions/:id/as-at?at=`. */
export const asAtQuery = z.strictObject({ at: z.iso.datetime({ offset: true }) });

/** The mission's boards the caller may see, as they stood at `at`: what a wall shows while the chair has set `asAt`. */
export const missionAsAt = z.object({
	missionId: entityId,
	at: timestamp,
	boards: z.array(
		z.object({
			boardId: entityId,
			/** The board document at `at`, a Yjs update in base64 (empty when the board did not exist yet); null when that moment is not kept. */
			state: z.string().nullable(),
			note: z.string().optional()
		})
	)
});
export type MissionAsAt = z.infer<typeof missionAsAt>;

export const handoverInput = z.strictObject({ missionId: entityId, to: z.string().min(1).max(200) });
export type HandoverInput = z.infer<typeof handoverInput>;

// ── Capture (JSON API and form actions) ──────────────────────────────────────

const ownerName = displayText(120, 'an owner');

export const captureDecisionInput = z.strictObject({
	kind: z.literal('decision'),
	text: z.string().trim().min(1, 'say what was decided').max(20_000),
	rationale: z.string().max(20_000).default(''),
	/** Names of the decision-makers, comma separated in forms. */
	decisionMakers: z.array(displayText(120, 'a name')).max(30).default([]),
	boardId: entityId.optional(),
	/** A Missions Board meeting: the mission whose board it goes to (its first board you may write), when `boardId` is absent. */
	missionId: entityId.optional()
});
export const captureActionInput = z.strictObject({
	kind: z.literal('action'),
	text: z.string().trim().min(1, 'say what is to be done').max(20_000),
	owner: ownerName,
	due: isoDate,
	boardId: entityId.optional(),
	missionId: entityId.optional()
});
export const captureInput = z.discriminatedUnion('kind', [captureDecisionInput, captureActionInput]);
export type CaptureInput = z.input<typeof captureInput>;

export const reviewInput = z.discriminatedUnion('outcome', [
	z.strictObject({ outcome: z.literal('done'), boardId: entityId, actionId: recordId }),
	z.strictObject({ outcome: z.literal('carried'), boardId: entityId, actionId: recordId }),
	z.strictObject({
		outcome: z.literal('replanned'),
		boardId: entityId,
		actionId: recordId,
		due: isoDate,
		reason: z.string().max(500).default('')
	})
]);
export type ReviewInput = z.input<typeof reviewInput>;

/** What a capture returns. */
export const captured = z.object({ meetingId: entityId, boardId: entityId, register: z.enum(['decisions', 'actions']), id: recordId, ref: z.string(), owner: person.optional() });
export type Captured = z.infer<typeof captured>;

// ── Acknowledgements and errors ──────────────────────────────────────────────

export const meetingErrorCodes = {
	invalidPayload: 'invalid_payload',
	forbidden: 'forbidden',
	notChair: 'not_chair',
	noMeeting: 'no_meeting',
	meetingRunning: 'meeting_running',
	notFound: 'not_found',
	notConnected: 'not_connected'
} as const;
export type MeetingErrorCode = (typeof meetingErrorCodes)[keyof typeof meetingErrorCodes];

export const meetingError = z.object({ code: z.string(), message: z.string() });
export type MeetingError = z.infer<typeof meetingError>;

export type MeetingReply = { ok: true; meeting: MeetingState | null } | { ok: false; error: MeetingError };

// ── socket.io event maps (merged into room-events.ts) ────────────────────────

export interface MeetingServerToClientEvents {
	/** The mission's meeting changed (started, moved, paused, handed over, ended). */
	'meeting:state': (state: MissionMeeting) => void;
	/** A lead changed the mission's playlist. */
	'playlist:changed': (playlist: Playlist) => void;
}

export interface MeetingClientToServerEvents {
	/** Joins the mission's room; answers with its running meeting, if any. */
	'meeting:join': (target: MissionTarget, reply: (reply: MeetingReply) => void) => void;
	'meeting:leave': (target: MissionTarget) => void;
	'meeting:start': (input: StartMeetingInput, reply: (reply: MeetingReply) => void) => void;
	'meeting:end': (target: MissionTarget, reply: (reply: MeetingReply) => void) => void;
	'meeting:focus': (input: FocusInput, reply: (reply: MeetingReply) => void) => void;
	'meeting:next': (target: MissionTarget, reply: (reply: MeetingReply) => void) => void;
	'meeting:prev': (target: MissionTarget, reply: (reply: MeetingReply) => void) => void;
	'meeting:pause': (input: PauseInput, reply: (reply: MeetingReply) => void) => void;
	'meeting:handover': (input: HandoverInput, reply: (reply: MeetingReply) => void) => void;
	'meeting:as-at': (input: AsAtInput, reply: (reply: MeetingReply) => void) => void;
	/** A heartbeat: the server answers with its clock (epoch ms). Walls use it to prove contact. */
	'wall:heartbeat': (reply: (serverNow: number) => void) => void;
}

export const meetingRooms = {
	mission: (missionId: string) => `mission:${missionId}`
} as const;
