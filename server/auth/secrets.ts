import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random secret, URL-safe, 256 bits. */
export function randomSecret(bytes = 32): string {
	return randomBytes(bytes).toString('base64url');
}

/** Secrets (tokens, session ids, invite codes) are only ever stored as this hash. */
export function hashSecret(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function sameHash(a: string, b: string): boolean {
	const left = Buffer.from(a, 'hex');
	const right = Buffer.from(b, 'hex');
	return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** Secrets we issue look like this; anything else is rejected before hashing or lookups. */
export const secretPattern = /^[A-Za-z0-9_\-.~]{16,256}$/;
