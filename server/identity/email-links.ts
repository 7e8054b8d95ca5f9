/**
 * Sign-in by email link: a person with a verified address asks for a link, receives a single-use
 * link valid for 15 minutes (`<origin>/login/email?token=mce.<id>.<secret>`), opens it and is
 * signed in. The answer to the request is the same whether or not the address belongs to anyone;
 * requests are rate limited per client address and per email address. Only the secret's hash is
 * stored; using a link is a compare-and-set, so it signs in once.
 */
import { z } from 'zod';
import { emailAddress } from '#lib/protocol/workspace.ts';
import { hashSecret, randomSecret, sameHash } from '../auth/secrets.ts';
import type { People } from '../access/people.ts';
import { RateLimiter, type BucketRule } from '../access/rate-limit.ts';
import { newRecordId } from '../access/tokens.ts';
import type { Logger } from '../log.ts';
import type { RecordStore } from '../store/store.ts';
import { IdentityError } from './identity-errors.ts';
import type { MailOutbox } from './mail-outbox.ts';

export const emailLinkCollection = 'email-links';

export const emailLinkDefaults = {
	validForMs: 15 * 60_000,
	/** Links asked for one address: 3 at once, one more every 5 minutes. */
	perAddress: { burst: 3, refillMs: 5 * 60_000 } satisfies BucketRule,
	/** Used and expired links' records are removed after this long. */
	keepMs: 24 * 60 * 60_000
} as const;

export const emailLinkPath = '/login/email';

const tokenPattern = /^mce\.([A-Za-z0-9_-]{6,40})\.([A-Za-z0-9_-]{32,86})$/;

const emailLinkRecord = z.object({
	id: z.string(),
	personId: z.string(),
	email: z.string(),
	secretHash: z.string().regex(/^[0-9a-f]{64}$/),
	createdAt: z.number().int(),
	expiresAt: z.number().int(),
	usedAt: z.number().int().optional(),
	/** A link that confirms a new address for the person (asked for by them, signed in): using it makes `email` theirs. */
	verifies: z.literal(true).optional()
});

/** What a used link proves: whose it is, and the address to make theirs when it was a confirmation. */
export interface UsedEmailLink {
	personId: string;
	verifiedEmail: string | undefined;
}

/** The same message for an unknown, wrong, used or expired link: whoever holds it learns nothing. */
const spentMessage = 'This sign-in link has expired or has already been used. Ask for a new one below.';

export interface EmailLinkOptions {
	store: RecordStore;
	people: People;
	outbox: MailOutbox;
	/** Per client address (the access layer's `signIn` budget). */
	clientLimiter: RateLimiter;
	log: Logger;
	perAddress?: BucketRule;
}

export class EmailLinks {
	#options: EmailLinkOptions;
	#addressLimiter: RateLimiter;

	constructor(options: EmailLinkOptions) {
		this.#options = options;
		// Its own limiter: the `signIn` rule here is "links asked for one address".
		this.#addressLimiter = new RateLimiter({ signIn: options.perAddress ?? emailLinkDefaults.perAddress });
	}

	/**
	 * Sends a sign-in link to the address if it belongs to a person. Resolves the same way whether
	 * or not it does; throws only for bad input (`invalid_request`) or a client over its budget
	 * (`rate_limited`), which say nothing about the address.
	 */
	async request(email: unknown, client: { address: string }, origin: string, next?: string): Promise<void> {
		const { clientLimiter, people, store, outbox, log } = this.#options;
		const verdict = await clientLimiter.take('signIn', client.address);
		if (!verdict.allowed) {
			const seconds = verdict.retryAfterSeconds;
			throw new IdentityError('rate_limited', `Too many attempts from your network. Wait ${seconds} seconds and try again.`, { retryAfterSeconds: seconds });
		}
		const parsed = emailAddress.safeParse(email);
		if (!parsed.success) throw new IdentityError('invalid_request', parsed.error.issues[0]?.message ?? 'give your email address');
		const address = parsed.data;
		// Over the address's budget: answered like any other request, so nobody learns anything, and
		// nobody's inbox is flooded.
		if (!(await this.#addressLimiter.take('signIn', address)).allowed) {
			log.info({ client: client.address }, 'email link not sent: too many for one address');
			return;
		}
		const person = await people.findByEmail(address);
		if (!person) {
			log.info('email link asked for an address nobody has');
			return;
		}
		const { id, link: bare, now } = await this.#newLink(person.id, address, origin, false);
		const link = next ? `${bare}&next=${encodeURIComponent(next)}` : bare;
		await outbox.queue({
			id: `sign-in-${id}`,
			kind: 'sign-in link',
			to: address,
			subject: 'Your sign-in link for Mission Control',
			text: [
				`Hello ${person.name},`,
				'',
				'Open this link to sign in to Mission Control. It works once, for the next 15 minutes:',
				'',
				link,
				'',
				'If you did not ask for it, ignore this email: nobody can sign in without opening the link.'
			].join('\n')
		});
		log.info({ person: person.id, link: id }, 'email sign-in link queued');
		await this.#sweep(now);
	}

	/**
	 * Sends a person (signed in, with no address yet) a link that confirms `email` as theirs. The
	 * same kind of link as a sign-in link (single use, 15 minutes, only its hash stored); using it
	 * also signs them in. Throws `invalid_request` for an address that is not one, and
	 * `rate_limited` past the address's budget. Whether someone else has the address is checked
	 * when the link is used, so only the mailbox's owner learns it.
	 */
	async requestVerification(person: { id: string; name: string }, email: unknown, origin: string): Promise<void> {
		const parsed = emailAddress.safeParse(email);
		if (!parsed.success) throw new IdentityError('invalid_request', parsed.error.issues[0]?.message ?? 'give your email address');
		const address = parsed.data;
		if (!(await this.#addressLimiter.take('signIn', address)).allowed) throw new IdentityError('rate_limited', 'Several links went to this address a moment ago. Wait a few minutes and try again.');
		const { id, link, now } = await this.#newLink(person.id, address, origin, true);
		await this.#options.outbox.queue({
			id: `verify-${id}`,
			kind: 'address confirmation',
			to: address,
			subject: 'Confirm your email address for Mission Control',
			text: [
				`Hello ${person.name},`,
				'',
				'Open this link to confirm that this is your address in Mission Control. It works once, for the next 15 minutes:',
				'',
				link,
				'',
				'Once it is confirmed, you can always sign in again with a link sent to this address.',
				'If you did not ask for it, ignore this email: nothing changes unless the link is opened.'
			].join('\n')
		});
		this.#options.log.info({ person: person.id, link: id }, 'email confirmation link queued');
		await this.#sweep(now);
	}

	/** Uses a link once; resolves whose it is. `link_invalid` for anything else (one message). */
	async consume(token: unknown): Promise<UsedEmailLink> {
		const match = typeof token === 'string' ? tokenPattern.exec(token.trim()) : null;
		if (!match) throw new IdentityError('link_invalid', spentMessage);
		const [, id = '', secret = ''] = match;
		const { store, log } = this.#options;
		const raw = await store.getRecord(emailLinkCollection, id);
		const parsed = emailLinkRecord.safeParse(raw);
		if (!parsed.success || !sameHash(parsed.data.secretHash, hashSecret(secret))) throw new IdentityError('link_invalid', spentMessage);
		const now = Date.now();
		if (parsed.data.usedAt !== undefined || now >= parsed.data.expiresAt) throw new IdentityError('link_expired', spentMessage);
		// Two tabs opening the same link: one compare-and-set wins.
		if (!(await store.compareAndSetRecord(emailLinkCollection, id, raw, { ...parsed.data, usedAt: now }))) throw new IdentityError('link_expired', spentMessage);
		log.info({ person: parsed.data.personId, link: id }, parsed.data.verifies ? 'email confirmation link used' : 'email sign-in link used');
		return { personId: parsed.data.personId, verifiedEmail: parsed.data.verifies ? parsed.data.email : undefined };
	}

	async #newLink(personId: string, email: string, origin: string, verifies: boolean): Promise<{ id: string; link: string; now: number }> {
		const id = newRecordId();
		const secret = randomSecret();
		const now = Date.now();
		const record = { id, personId, email, secretHash: hashSecret(secret), createdAt: now, expiresAt: now + emailLinkDefaults.validForMs, ...(verifies ? { verifies: true } : {}) };
		await this.#options.store.putRecord(emailLinkCollection, id, record);
		return { id, link: `${origin}${emailLinkPath}?token=mce.${id}.${secret}`, now };
	}

	/** Drops records of links that can no longer be used. */
	async #sweep(now: number): Promise<void> {
		const { store } = this.#options;
		for (const { id, value } of await store.listRecords(emailLinkCollection)) {
			const parsed = emailLinkRecord.safeParse(value);
			if (!parsed.success || now - parsed.data.expiresAt > emailLinkDefaults.keepMs) await store.compareAndSetRecord(emailLinkCollection, id, value, undefined);
		}
	}
}
