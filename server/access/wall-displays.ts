/**
 * Wall displays: a device token scoped to missions or boards, read-only, with no expiry, revocable,
 * shown once. It authenticates the wall view over HTTP (device cookie), `/yjs` and socket.io.
 */
import { collections, wallDisplayRecord, type CreateWallDisplayInput, type WallDisplayRecord, type WallDisplayView } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { RecordStore } from '../store/store.ts';
import { AccessError, notFoundMessages } from './errors.ts';
import { listValidRecords, revokeRecord } from './revocation.ts';
import { issueToken, parseToken, secretMatches } from './tokens.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

export const wallDefaults = {
	/** `lastSeenAt` is written at most this often, so reads stay reads. */
	touchIntervalMs: 5 * 60 * 1000
} as const;

export const wallPrincipalPrefix = 'wall:';

export function principalOfWall(display: WallDisplayRecord): Principal {
	return {
		id: `${wallPrincipalPrefix}${display.id}`,
		kind: 'wall',
		name: display.name,
		role: 'viewer',
		credentialId: display.id,
		scope: { missionIds: display.scope.missionIds, boardIds: display.scope.boardIds }
	};
}

export function wallDisplayView(display: WallDisplayRecord): WallDisplayView {
	const { secretHash: _secretHash, ...rest } = display;
	return { ...rest, status: display.revokedAt === undefined ? 'active' : 'revoked' };
}

/** The link that signs a kiosk browser in: `/wall?token=…` sets the device cookie and drops the token from the address. */
export function wallLinkPath(token: string): string {
	return `/wall?token=${token}`;
}

export class WallDisplays {
	#store: RecordStore;
	#workspace: WorkspaceReader;
	#log: Logger;

	constructor(store: RecordStore, workspace: WorkspaceReader, log: Logger) {
		this.#store = store;
		this.#workspace = workspace;
		this.#log = log;
	}

	async create(input: CreateWallDisplayInput & { missionIds: string[]; boardIds: string[] }, creator: Principal): Promise<{ display: WallDisplayView; token: string; path: string }> {
		for (const missionId of input.missionIds) {
			if (!(await this.#workspace.getMission(missionId))) throw new AccessError('invalid_request', 'choose missions that exist');
		}
		for (const boardId of input.boardIds) {
			if (!(await this.#workspace.getBoard(boardId))) throw new AccessError('invalid_request', 'choose boards that exist');
		}
		const { id, token, secretHash } = issueToken('wall');
		const now = Date.now();
		const record = wallDisplayRecord.parse({
			id,
			name: input.name,
			scope: { missionIds: [...new Set(input.missionIds)], boardIds: [...new Set(input.boardIds)] },
			secretHash,
			createdAt: now,
			createdBy: creator.id,
			updatedAt: now,
			updatedBy: creator.id
		});
		await this.#store.putRecord(collections.wallDisplays, id, record);
		this.#log.info({ wallDisplay: id, by: creator.id }, 'wall display created');
		return { display: wallDisplayView(record), token, path: wallLinkPath(token) };
	}

	async get(id: string): Promise<WallDisplayRecord | undefined> {
		const parsed = wallDisplayRecord.safeParse(await this.#store.getRecord(collections.wallDisplays, id));
		return parsed.success ? parsed.data : undefined;
	}

	async list(): Promise<WallDisplayView[]> {
		const displays = await listValidRecords(this.#store, collections.wallDisplays, wallDisplayRecord);
		return displays.map(wallDisplayView).sort((a, b) => b.createdAt - a.createdAt);
	}

	async revoke(id: string, by: string): Promise<WallDisplayView> {
		const { record, revoked } = await revokeRecord(this.#store, collections.wallDisplays, wallDisplayRecord, id, by, {
			notFound: notFoundMessages.wallDisplay,
			conflict: 'this wall display is being changed by someone else; try again'
		});
		if (revoked) this.#log.info({ wallDisplay: id, by }, 'wall display revoked');
		return wallDisplayView(record);
	}

	/** The token resolver: a wall principal for a live device token, undefined otherwise. */
	async principalFromToken(token: string): Promise<Principal | undefined> {
		const parsed = parseToken(token, 'wall');
		if (!parsed) return undefined;
		const raw = await this.#store.getRecord(collections.wallDisplays, parsed.id);
		const record = wallDisplayRecord.safeParse(raw);
		if (!record.success || record.data.revokedAt !== undefined || !secretMatches(parsed.secret, record.data.secretHash)) return undefined;
		const now = Date.now();
		if (now - (record.data.lastSeenAt ?? 0) > wallDefaults.touchIntervalMs) {
			// Best effort: losing a race only loses a timestamp.
			await this.#store.compareAndSetRecord(collections.wallDisplays, parsed.id, raw, { ...record.data, lastSeenAt: now });
		}
		return principalOfWall(record.data);
	}

	/** Who a live wall connection is now (re-checked while it stays connected). */
	async current(displayId: string): Promise<Principal | undefined> {
		const display = await this.get(displayId);
		return display && display.revokedAt === undefined ? principalOfWall(display) : undefined;
	}
}
