/**
 * Secrets we issue for invites, wall displays and API tokens: `<kind>.<id>.<secret>`.
 * The id finds the record; only the secret's hash is stored, compared in constant time.
 */
import { randomBytes } from 'node:crypto';
import { hashSecret, randomSecret, sameHash } from '../auth/secrets.ts';

export const tokenKinds = {
	invite: 'mci',
	wall: 'mcw',
	api: 'mct'
} as const;
export type TokenKind = keyof typeof tokenKinds;

export interface IssuedToken {
	id: string;
	/** The whole credential, shown once. */
	token: string;
	secretHash: string;
}

export interface ParsedToken {
	kind: TokenKind;
	id: string;
	secret: string;
}

const tokenPattern = /^(mci|mcw|mct)\.([A-Za-z0-9_-]{6,40})\.([A-Za-z0-9_-]{32,86})$/;
const kindByPrefix = Object.fromEntries(Object.entries(tokenKinds).map(([kind, prefix]) => [prefix, kind])) as Record<string, TokenKind>;

/** A random record id: 12 base64url characters (72 bits), an `entityId`. */
export function newRecordId(): string {
	return randomBytes(9).toString('base64url');
}

export function issueToken(kind: TokenKind): IssuedToken {
	const id = newRecordId();
	const secret = randomSecret();
	return { id, token: `${tokenKinds[kind]}.${id}.${secret}`, secretHash: hashSecret(secret) };
}

/** Splits a credential; undefined for anything we did not issue (checked before any lookup). */
export function parseToken(token: string, kind?: TokenKind): ParsedToken | undefined {
	const match = tokenPattern.exec(token);
	if (!match) return undefined;
	const parsed = { kind: kindByPrefix[match[1] ?? ''] as TokenKind, id: match[2] ?? '', secret: match[3] ?? '' };
	return kind === undefined || parsed.kind === kind ? parsed : undefined;
}

/** Constant-time check of a presented secret against the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
	return sameHash(storedHash, hashSecret(secret));
}
