/**
 * One-click unsubscribe: every notification email carries `/unsubscribe?token=mcu.<person>.<secret>`.
 * The token's only power is switching that person's emails off, so its random secret is kept as it
 * is (one per person, made on first use) and the same link works in every email they get.
 */
import { z } from 'zod';
import { randomSecret } from '../auth/secrets.ts';
import type { RecordStore } from '../store/store.ts';

export const unsubscribeCollection = 'unsubscribe-keys';

const tokenPattern = /^mcu\.(person:[A-Za-z0-9_-]{6,40})\.([A-Za-z0-9_-]{32,86})$/;
const keyRecord = z.object({ secret: z.string() });

export class Unsubscribe {
	#store: RecordStore;

	constructor(store: RecordStore) {
		this.#store = store;
	}

	async tokenFor(principalId: string): Promise<string> {
		let parsed = keyRecord.safeParse(await this.#store.getRecord(unsubscribeCollection, principalId));
		if (!parsed.success) {
			// Two emails at once: one compare-and-set wins, and both use the winner's secret.
			await this.#store.compareAndSetRecord(unsubscribeCollection, principalId, undefined, { secret: randomSecret() });
			parsed = keyRecord.safeParse(await this.#store.getRecord(unsubscribeCollection, principalId));
		}
		if (!parsed.success) throw new Error('unsubscribe key could not be stored');
		return `mcu.${principalId}.${parsed.data.secret}`;
	}

	/** The person a token belongs to, or undefined for anything we did not issue. */
	async principalOf(token: unknown): Promise<string | undefined> {
		const match = typeof token === 'string' ? tokenPattern.exec(token) : null;
		if (!match) return undefined;
		const [, principalId = '', secret = ''] = match;
		const parsed = keyRecord.safeParse(await this.#store.getRecord(unsubscribeCollection, principalId));
		return parsed.success && parsed.data.secret === secret ? principalId : undefined;
	}
}
