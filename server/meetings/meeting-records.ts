/**
 * Meetings and playlists in the record store (collections `meetings` and `playlists`). Every read
 * is validated with zod (a malformed record is skipped, never thrown); every change is a
 * compare-and-set, so two writers never lose each other's change.
 */
import { randomBytes } from 'node:crypto';
import { defaultPlaylist, meetingRecord, playlist as playlistSchema, type MeetingRecord, type Playlist, type PlaylistInput } from '#lib/protocol/meeting.ts';
import { collections } from '#lib/protocol/workspace.ts';
import type { RecordStore } from '../store/store.ts';
import { MeetingError } from './meeting-errors.ts';

export const meetingRecordDefaults = { maxCasAttempts: 20 } as const;

export function newMeetingId(): string {
	return `mtg_${randomBytes(9).toString('base64url')}`;
}

export class MeetingRecords {
	#store: RecordStore;

	constructor(store: RecordStore) {
		this.#store = store;
	}

	async get(id: string): Promise<MeetingRecord | undefined> {
		const parsed = meetingRecord.safeParse(await this.#store.getRecord(collections.meetings, id));
		return parsed.success ? parsed.data : undefined;
	}

	/** Meetings of a mission, newest first. */
	async list(missionId: string): Promise<MeetingRecord[]> {
		const meetings: MeetingRecord[] = [];
		for (const { value } of await this.#store.listRecords(collections.meetings)) {
			const parsed = meetingRecord.safeParse(value);
			if (parsed.success && parsed.data.missionId === missionId) meetings.push(parsed.data);
		}
		return meetings.sort((a, b) => b.startedAt - a.startedAt);
	}

	async running(missionId: string): Promise<MeetingRecord | undefined> {
		return (await this.list(missionId)).find((meeting) => meeting.endedAt === null);
	}

	/** The latest ended meeting of the same mission and forum (forum compared without case). */
	async previous(missionId: string, forum: string): Promise<MeetingRecord | undefined> {
		const key = forum.trim().toLowerCase();
		return (await this.list(missionId)).find((meeting) => meeting.endedAt !== null && meeting.forum.trim().toLowerCase() === key);
	}

	async create(meeting: MeetingRecord): Promise<void> {
		const value = meetingRecord.parse(meeting);
		if (!(await this.#store.compareAndSetRecord(collections.meetings, value.id, undefined, value))) {
			throw new MeetingError('conflict', 'a meeting with this id already exists; try again');
		}
	}

	/** Reads, changes and writes back atomically; `change` returns undefined to leave it as it is. */
	async update(id: string, change: (current: MeetingRecord) => MeetingRecord | undefined): Promise<MeetingRecord> {
		for (let attempt = 0; attempt < meetingRecordDefaults.maxCasAttempts; attempt++) {
			const raw = await this.#store.getRecord(collections.meetings, id);
			const current = meetingRecord.safeParse(raw);
			if (!current.success) throw new MeetingError('not_found', `no meeting ${JSON.stringify(id)}`);
			const next = change(current.data);
			if (next === undefined) return current.data;
			if (await this.#store.compareAndSetRecord(collections.meetings, id, raw, meetingRecord.parse(next))) return next;
		}
		throw new MeetingError('conflict', 'the meeting is being changed by others; try again');
	}
}

export class Playlists {
	#store: RecordStore;

	constructor(store: RecordStore) {
		this.#store = store;
	}

	/** The mission's playlist, or the default one when no lead has set it. */
	async get(missionId: string): Promise<Playlist> {
		const parsed = playlistSchema.safeParse(await this.#store.getRecord(collections.playlists, missionId));
		return parsed.success && parsed.data.missionId === missionId ? parsed.data : defaultPlaylist(missionId);
	}

	async put(missionId: string, input: PlaylistInput, by: string, now = Date.now()): Promise<Playlist> {
		const value: Playlist = playlistSchema.parse({ missionId, items: input.items, custom: true, updatedAt: now, updatedBy: by });
		await this.#store.putRecord(collections.playlists, missionId, value);
		return value;
	}

	/** Back to the default playlist. */
	async reset(missionId: string): Promise<Playlist> {
		await this.#store.deleteRecord(collections.playlists, missionId);
		return defaultPlaylist(missionId);
	}
}
