import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { editMarker, messageBytes, parseMarker, scanMarkers } from './edit-marker.ts';

function scan(bytes: Buffer): Array<[number, number]> {
	const found: Array<[number, number]> = [];
	scanMarkers(bytes, (sentAt, instance) => found.push([sentAt, instance]));
	return found;
}

test('a marker string reads back as its send time and instance', () => {
	assert.deepEqual(parseMarker(editMarker(12345.6789, 1)), { sentAt: 12345.6789, instance: 1 });
	assert.equal(parseMarker(12345), undefined);
	assert.equal(parseMarker('mc-bench-sent:oops@1;'), undefined);
});

test('every marker of a merged Yjs update is found in its bytes, and nothing else', () => {
	const updates: Uint8Array[] = [];
	for (const [sentAt, instance] of [[1000.5, 0], [1001.25, 1], [1002, 0]] as const) {
		const doc = new Y.Doc();
		doc.getArray('comments').push([{ text: 'Checked at the meeting', sentAt, mark: editMarker(sentAt, instance) }]);
		updates.push(Y.encodeStateAsUpdate(doc));
	}
	assert.deepEqual(scan(Buffer.from(Y.mergeUpdates(updates))).sort((a, b) => a[0] - b[0]), [[1000.5, 0], [1001.25, 1], [1002, 0]]);
	const plain = new Y.Doc();
	plain.getMap('m').set('k', 'mc-bench-sent without a body');
	assert.deepEqual(scan(Buffer.from(Y.encodeStateAsUpdate(plain))), []);
});

test('message bytes come from an ArrayBuffer, a Buffer or fragments', () => {
	const bytes = Buffer.from(editMarker(5, 2));
	assert.deepEqual(scan(messageBytes(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)) ?? Buffer.alloc(0)), [[5, 2]]);
	assert.deepEqual(scan(messageBytes([bytes.subarray(0, 10), bytes.subarray(10)]) ?? Buffer.alloc(0)), [[5, 2]]);
	assert.equal(messageBytes('text'), undefined);
});
