/**
 * Everything a wall (or a laptop following the chair) needs besides the board documents
 * themselves: the mission, the boards it may show, departments for the map, the playlist, the
 * rating scale and the latest meeting (for its decisions). Serialisable: a page load returns it.
 */
import type { Playlist } from '#lib/protocol/meeting.ts';
import type { RatingScaleId } from '#lib/protocol/ratings.ts';
import type { Principal } from '../auth/principal.ts';
import type { MeetingRecords, Playlists } from './meeting-records.ts';
import { readableFor } from './meeting-visibility.ts';
import { defaultMissionId, listBoards, listDepartments, listMissions, missionScope, ratingScaleOf, readSettings, type MissionRecords } from './mission-scope.ts';

export interface WallDepartment {
	id: string;
	name: string;
	code: string;
	colour: string;
}

export interface WallContext {
	mission: { id: string; title: string };
	/** Other missions the principal may switch to (people only; a wall shows its own). */
	missions: { id: string; title: string }[];
	boards: { id: string; title: string }[];
	departments: WallDepartment[];
	playlist: Playlist;
	ratingScale: RatingScaleId;
	staleAfterDays: number;
	/** The running meeting, else the latest ended one: its forum and date pick "latest decisions". */
	latestMeeting: { id: string; title: string; forum: string; date: string; running: boolean } | null;
}

export async function wallContext(
	parts: { workspace: MissionRecords; records: MeetingRecords; playlists: Playlists },
	principal: Principal,
	requestedMissionId: string | undefined
): Promise<WallContext | undefined> {
	const missionId = requestedMissionId ?? (await defaultMissionId(parts.workspace, principal));
	if (!missionId) return undefined;
	const scope = await missionScope(parts.workspace, principal, missionId);
	if (!scope) return undefined;
	const [departments, settings, playlist, stored, boards] = await Promise.all([
		listDepartments(parts.workspace),
		readSettings(parts.workspace),
		parts.playlists.get(missionId),
		parts.records.list(missionId),
		listBoards(parts.workspace)
	]);
	// Only meetings held on a board the principal can read (meeting-visibility.ts).
	const readable = readableFor(principal, new Map(boards.map((board) => [board.id, board])));
	const meetings = stored.filter((meeting) => readable(meeting.boardId));
	const latest = meetings.find((meeting) => meeting.endedAt === null) ?? meetings[0];
	let missions: WallContext['missions'] = [];
	if (principal.kind !== 'wall') {
		const visible = await Promise.all((await listMissions(parts.workspace)).map(async (mission) => ((await missionScope(parts.workspace, principal, mission.id)) ? mission : undefined)));
		missions = visible.filter((mission) => mission !== undefined).map(({ id, title }) => ({ id, title }));
	}
	return {
		mission: { id: scope.mission.id, title: scope.mission.title },
		missions,
		boards: scope.boards.map(({ id, title }) => ({ id, title })),
		departments: departments.filter((department) => !department.archived).map(({ id, name, code, colour }) => ({ id, name, code, colour })),
		playlist,
		ratingScale: ratingScaleOf(settings),
		staleAfterDays: settings.staleAfterDays,
		latestMeeting: latest ? { id: latest.id, title: latest.title, forum: latest.forum, date: latest.date, running: latest.endedAt === null } : null
	};
}
