/**
 * API tokens: a person issues them for their own scripts. A token acts as its person (the same
 * scope, resolved afresh on every use, so a role change or removal applies at once) and is
 * attributed to the person; revoking it ends what it opened.
 */
import { apiTokenRecord, collections, type ApiTokenRecord, type ApiTokenView } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { RecordStore } from '../store/store.ts';
import { AccessError, notFoundMessages } from './errors.ts';
import { listValidRecords, revokeRecord } from './revocation.ts';
import { issueToken, parseToken, secretMatches } from './tokens.ts';

export const apiTokenDefaults = {
	touchIntervalMs: 5 * 60 * 1000,
	/** Live tokens one person may hold. */
	maxPerPerson: 20
} as const;

export function apiTokenView(token: ApiTokenRecord): ApiTokenView {
	const { secretHash: _secretHash, ...rest } = token;
	return { ...rest, status: token.revokedAt === undefined ? 'active' : 'revoked' };
}

/** Resolves the person a token acts as (undefined once they are removed). */
export type PersonResolver = (principalId: string) => Promise<Principal | undefined>;

export class ApiTokens {
	#store: RecordStore;
	#log: Logger;
	#person: PersonResolver;

	constructor(store: RecordStore, log: Logger, person: PersonResolver) {
		this.#store = store;
		this.#log = log;
		this.#person = person;
	}

	async create(owner: Principal, name: string): Promise<{ apiToken: ApiTokenView; token: string }> {
		if (owner.kind !== 'person') throw new AccessError('forbidden', 'only people can have API tokens (the administrator already has one)');
		const live = (await this.list(owner.id)).filter((token) => token.status === 'active');
		if (live.length >= apiTokenDefaults.maxPerPerson) throw new AccessError('conflict', `you already have ${apiTokenDefaults.maxPerPerson} API tokens: revoke one first`);
		const { id, token, secretHash } = issueToken('api');
		const now = Date.now();
		const record = apiTokenRecord.parse({ id, principalId: owner.id, name, secretHash, createdAt: now, createdBy: owner.id, updatedAt: now, updatedBy: owner.id });
		await this.#store.putRecord(collections.apiTokens, id, record);
		this.#log.info({ apiToken: id, owner: owner.id }, 'API token created');
		return { apiToken: apiTokenView(record), token };
	}

	async get(id: string): Promise<ApiTokenRecord | undefined> {
		const parsed = apiTokenRecord.safeParse(await this.#store.getRecord(collections.apiTokens, id));
		return parsed.success ? parsed.data : undefined;
	}

	/** Tokens of one person, or of everyone. */
	async list(principalId?: string): Promise<ApiTokenView[]> {
		const tokens = await listValidRecords(this.#store, collections.apiTokens, apiTokenRecord);
		return tokens
			.filter((token) => !principalId || token.principalId === principalId)
			.map(apiTokenView)
			.sort((a, b) => b.createdAt - a.createdAt);
	}

	async revoke(id: string, by: string): Promise<ApiTokenView> {
		const { record, revoked } = await revokeRecord(this.#store, collections.apiTokens, apiTokenRecord, id, by, {
			notFound: notFoundMessages.apiToken,
			conflict: 'this token is being changed by someone else; try again'
		});
		if (revoked) this.#log.info({ apiToken: id, by }, 'API token revoked');
		return apiTokenView(record);
	}

	/** Revokes every live token of a person (they were removed); returns the ids. */
	async revokeAllOf(principalId: string, by: string): Promise<string[]> {
		const revoked: string[] = [];
		for (const token of await this.list(principalId)) {
			if (token.status !== 'active') continue;
			await this.revoke(token.id, by);
			revoked.push(token.id);
		}
		return revoked;
	}

	/** The token resolver: the person it acts as, marked as an API-token principal. */
	async principalFromToken(token: string): Promise<Principal | undefined> {
		const parsed = parseToken(token, 'api');
		if (!parsed) return undefined;
		const raw = await this.#store.getRecord(collections.apiTokens, parsed.id);
		const record = apiTokenRecord.safeParse(raw);
		if (!record.success || record.data.revokedAt !== undefined || !secretMatches(parsed.secret, record.data.secretHash)) return undefined;
		const principal = await this.current(record.data);
		if (!principal) return undefined;
		const now = Date.now();
		if (now - (record.data.lastUsedAt ?? 0) > apiTokenDefaults.touchIntervalMs) {
			await this.#store.compareAndSetRecord(collections.apiTokens, parsed.id, raw, { ...record.data, lastUsedAt: now });
		}
		return principal;
	}

	/** Who a token acts as now; undefined when revoked or its person was removed. */
	async current(token: ApiTokenRecord | string): Promise<Principal | undefined> {
		const record = typeof token === 'string' ? await this.get(token) : token;
		if (!record || record.revokedAt !== undefined) return undefined;
		const person = await this.#person(record.principalId);
		return person && { ...person, kind: 'api-token', credentialId: record.id };
	}
}
