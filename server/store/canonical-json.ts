/**
 * JSON with object keys sorted, so two equal values always give the same text. Every store (SQLite,
 * Redis, PostgreSQL) writes records with it and compare-and-set compares these texts, so it is written
 * once, here.
 */
export class NotJsonError extends Error {
	readonly code = 'not_json';
	constructor(what: string) {
		super(`${what} cannot be stored as JSON`);
		this.name = 'NotJsonError';
	}
}

export function canonicalJson(value: unknown, what: string): string {
	const text = JSON.stringify(value, sortKeys);
	if (text === undefined) throw new NotJsonError(what);
	return text;
}

function sortKeys(_key: string, value: unknown): unknown {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
	// fromEntries defines own properties, so a "__proto__" key stays a key.
	const record = value as Record<string, unknown>;
	return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]]));
}
