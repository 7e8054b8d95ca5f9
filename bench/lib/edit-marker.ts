/**
 * The send-time marker every bench edit carries as a plain string (in a board comment, or as the
 * value of a map key): `mc-bench-sent:<sentAt>@<instance>;`. Yjs stores a string as its UTF-8
 * bytes, whole, inside an update, and a server relays an edit's bytes whole (merged or not), so a
 * peer can find the edits a message carries by scanning its bytes for the prefix, without
 * decoding the message or applying it to a document (`scanMarkers`). That is how most receiving
 * peers of the load generator measure (see load-generator.ts): one byte search per message
 * instead of a Yjs apply, so 20,000 deliveries a second fit in one generator core.
 */

const prefix = 'mc-bench-sent:';
const prefixBytes = Buffer.from(prefix, 'latin1');
const at = '@'.charCodeAt(0);
const end = ';'.charCodeAt(0);
/** Longest `<sentAt>@<instance>` a marker holds: a scan stops looking for its end after this. */
const maxBodyBytes = 40;

export function editMarker(sentAt: number, instance: number): string {
	return `${prefix}${sentAt.toFixed(4)}@${instance};`;
}

/** The send time and instance of one marker string (a map value), or undefined if it is not one. */
export function parseMarker(value: unknown): { sentAt: number; instance: number } | undefined {
	if (typeof value !== 'string' || !value.startsWith(prefix) || !value.endsWith(';')) return undefined;
	const body = value.slice(prefix.length, -1);
	const split = body.indexOf('@');
	const sentAt = Number(body.slice(0, split));
	const instance = Number(body.slice(split + 1));
	return split > 0 && Number.isFinite(sentAt) && Number.isInteger(instance) ? { sentAt, instance } : undefined;
}

/** Calls `found` for every marker in `bytes` (a whole websocket message); returns how many. */
export function scanMarkers(bytes: Buffer, found: (sentAt: number, instance: number) => void): number {
	let count = 0;
	for (let start = bytes.indexOf(prefixBytes); start >= 0; start = bytes.indexOf(prefixBytes, start + prefixBytes.length)) {
		const body = start + prefixBytes.length;
		let split = -1;
		let stop = -1;
		for (let index = body; index < bytes.length && index < body + maxBodyBytes; index++) {
			const byte = bytes[index];
			if (byte === at) split = index;
			else if (byte === end) {
				stop = index;
				break;
			}
		}
		if (split < 0 || stop < 0) continue;
		const sentAt = Number(bytes.toString('latin1', body, split));
		const instance = Number(bytes.toString('latin1', split + 1, stop));
		if (!Number.isFinite(sentAt) || !Number.isInteger(instance)) continue;
		count += 1;
		found(sentAt, instance);
	}
	return count;
}

/** The bytes of a `ws` 'message' event's data (an ArrayBuffer, a Buffer, or fragments). */
export function messageBytes(data: unknown): Buffer | undefined {
	if (Buffer.isBuffer(data)) return data;
	if (data instanceof ArrayBuffer) return Buffer.from(data);
	if (Array.isArray(data) && data.every((part) => Buffer.isBuffer(part))) return Buffer.concat(data);
	return undefined;
}
