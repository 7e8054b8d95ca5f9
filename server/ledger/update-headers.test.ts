import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { contentKinds, covers, endOfAny, everyValueWrittenBy, MalformedUpdateError, readUpdateHeaders, type ItemHeader } from './update-headers.ts';

/** The values of an item whose content is `contentKinds.any`, decoded whole (the reference the reader is checked against). */
function readAnyContent(update: Uint8Array, item: ItemHeader): unknown[] {
	const decoder = decoding.createDecoder(update);
	decoder.pos = item.contentAt;
	const values: unknown[] = [];
	for (let count = decoding.readVarUint(decoder); count > 0; count--) values.push(decoding.readAny(decoder));
	return values;
}

/** What Yjs's own decoder says of an update, in the reader's terms. */
function decodedByYjs(update: Uint8Array) {
	const { structs, ds } = Y.decodeUpdate(update);
	const items = new Map<number, ItemHeader[]>();
	for (const struct of structs) {
		if (!(struct instanceof Y.Item)) continue;
		const parent = struct.parent as unknown;
		const list = items.get(struct.id.client) ?? [];
		items.set(struct.id.client, list);
		list.push({
			client: struct.id.client,
			clock: struct.id.clock,
			length: struct.length,
			origin: struct.origin ? { client: struct.origin.client, clock: struct.origin.clock } : null,
			rightOrigin: struct.rightOrigin ? { client: struct.rightOrigin.client, clock: struct.rightOrigin.clock } : null,
			parent: typeof parent === 'string' ? parent : parent ? { client: (parent as Y.ID).client, clock: (parent as Y.ID).clock } : null,
			parentSub: struct.parentSub,
			content: (struct.content as { getRef(): number }).getRef(),
			contentAt: 0
		});
	}
	const deletes = new Map([...ds.clients].map(([client, ranges]) => [client, ranges.map(({ clock, len }) => ({ clock, len }))]));
	return { items, deletes, structs };
}

function withoutPositions(items: Map<number, ItemHeader[]>) {
	return new Map([...items].map(([client, list]) => [client, list.map((item) => ({ ...item, contentAt: 0 }))]));
}

/** Every update `edit` makes on a copy of `base`, merged into one. */
function updateOf(base: Y.Doc | undefined, edit: (doc: Y.Doc) => void): Uint8Array {
	const doc = new Y.Doc();
	if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
	const captured: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => captured.push(update));
	edit(doc);
	return Y.mergeUpdates(captured);
}

describe('readUpdateHeaders', () => {
	it('reads every kind of struct and content exactly as Yjs decodes it', () => {
		const base = new Y.Doc();
		base.getMap('dependencies').set('d1', new Y.Map());
		const updates = [
			updateOf(base, (doc) => {
				const record = doc.getMap('dependencies').get('d1') as Y.Map<unknown>;
				record.set('status', 'agreed');
				record.set('owner', { name: 'Ann', id: 'person:ann', tags: [1, 2.5, true, null, undefined, 2n ** 40n] });
				record.set('blob', new Uint8Array([1, 2, 3]));
				const text = new Y.Text('Héllo 🌍 world');
				record.set('text', text);
				text.format(0, 3, { bold: true });
				text.insertEmbed(2, { image: 'x.png' });
				const comments = new Y.Array<unknown>();
				record.set('comments', comments);
				comments.push([{ text: 'one', author: { id: 'a', name: 'A' } }, { text: 'two' }]);
				record.set('fragment', new Y.XmlFragment());
				(record.get('fragment') as Y.XmlFragment).insert(0, [new Y.XmlElement('p'), new Y.XmlText('x')]);
				record.set('sub', new Y.Doc());
				record.delete('status');
				record.set('blob', 'replaced');
			}),
			// Deleted content and garbage-collected structs: the state of a document with removals.
			Y.encodeStateAsUpdate(
				(() => {
					const doc = new Y.Doc();
					const list = doc.getArray<number>('list');
					list.push([1, 2, 3, 4]);
					list.delete(1, 2);
					doc.getMap('m').set('a', new Y.Map());
					doc.getMap('m').delete('a');
					return doc;
				})()
			),
			// A merge of two non-adjacent updates of one client carries a Skip struct.
			(() => {
				const doc = new Y.Doc();
				const captured: Uint8Array[] = [];
				doc.on('update', (update: Uint8Array) => captured.push(update));
				doc.getArray('a').push(['x']);
				doc.getArray('a').push(['y']);
				doc.getArray('a').push(['z']);
				return Y.mergeUpdates([captured[0]!, captured[2]!]);
			})()
		];
		const kinds = new Set<number>();
		for (const update of updates) {
			const read = readUpdateHeaders(update);
			const yjs = decodedByYjs(update);
			expect(withoutPositions(read.items)).toEqual(yjs.items);
			expect(read.deletes).toEqual(yjs.deletes);
			for (const list of read.items.values()) for (const item of list) kinds.add(item.content);
			// Log entries read where the check must: the same values Yjs decodes.
			for (const [client, list] of read.items) {
				list.forEach((item, index) => {
					if (item.content !== contentKinds.any) return;
					const struct = yjs.structs.filter((s) => s instanceof Y.Item && s.id.client === client)[index] as Y.Item;
					expect(readAnyContent(update, item)).toEqual(struct.content.getContent());
				});
			}
		}
		expect([...kinds].sort()).toEqual([1, 3, 4, 5, 6, 7, 8, 9]);
		expect(updates[2]!.length).toBeGreaterThan(0);
	});

	it('finds a clock in sorted delete ranges', () => {
		const ranges = [{ clock: 0, len: 2 }, { clock: 5, len: 1 }, { clock: 9, len: 3 }];
		expect([0, 1, 2, 5, 6, 9, 11, 12].map((clock) => covers(ranges, clock))).toEqual([true, true, false, true, false, true, true, false]);
		expect(covers(undefined, 0)).toBe(false);
	});

	it('throws on a truncated or unknown update, where Yjs would throw too', () => {
		const update = updateOf(undefined, (doc) => doc.getMap('m').set('k', 'value'));
		for (let cut = 1; cut < update.length - 1; cut++) {
			const truncated = update.slice(0, cut);
			expect(() => readUpdateHeaders(truncated), `cut at ${cut}`).toThrow();
		}
		const unknownContent = update.slice();
		// The first struct's info byte follows the block header: blocks, structs, client, clock.
		const header = decoding.createDecoder(update);
		for (let i = 0; i < 4; i++) decoding.readVarUint(header);
		const infoAt = header.pos;
		unknownContent[infoAt] = (unknownContent[infoAt]! & ~0b11111) | 15;
		expect(() => readUpdateHeaders(unknownContent)).toThrow(MalformedUpdateError);
		expect(() => Y.decodeUpdate(unknownContent)).toThrow();
	});

	it('finds the end of any values lib0 writes, and throws on every truncation of them', () => {
		const gen = prng.create(11);
		const value = (depth: number): unknown => {
			switch (prng.int32(gen, 0, depth > 3 ? 8 : 10)) {
				case 0: return undefined;
				case 1: return null;
				case 2: return prng.bool(gen);
				case 3: return prng.int32(gen, -(2 ** 31), 2 ** 31 - 1) * (prng.bool(gen) ? 2 ** 21 : 1);
				case 4: return prng.real53(gen) * 1e6;
				case 5: return 2n ** BigInt(prng.int32(gen, 0, 62));
				case 6: return prng.utf16String(gen, prng.int32(gen, 0, 300));
				case 7: return new Uint8Array(prng.int32(gen, 0, 200)).map(() => prng.uint32(gen, 0, 255));
				case 8: return prng.int32(gen, -64, 63);
				case 9: return Array.from({ length: prng.int32(gen, 0, 5) }, () => value(depth + 1));
				default: return Object.fromEntries(Array.from({ length: prng.int32(gen, 0, 5) }, (_, i) => [`${prng.word(gen)}${i}`, value(depth + 1)]));
			}
		};
		for (let round = 0; round < 300; round++) {
			const values = Array.from({ length: prng.int32(gen, 1, 4) }, () => value(0));
			const encoder = encoding.createEncoder();
			encoding.writeUint8(encoder, 7); // bytes before the values: endOfAny starts where it is told
			for (const one of values) encoding.writeAny(encoder, one as Parameters<typeof encoding.writeAny>[1]);
			const bytes = encoding.toUint8Array(encoder);
			expect(endOfAny(bytes, 1, values.length)).toBe(bytes.length);
			const reference = decoding.createDecoder(bytes);
			reference.pos = 1;
			decoding.readAny(reference);
			expect(endOfAny(bytes, 1)).toBe(reference.pos);
			const cut = prng.int32(gen, 1, bytes.length - 1);
			expect(() => endOfAny(bytes.slice(0, cut), 1, values.length), `round ${round}, cut at ${cut}`).toThrow(MalformedUpdateError);
		}
		expect(() => endOfAny(new Uint8Array([1, 99]), 1)).toThrow(/unknown value tag 99/);
		const deep = new Uint8Array(2_001).fill(117, 0, 2_000); // arrays of one array, 1,000 deep
		for (let i = 1; i < 2_000; i += 2) deep[i] = 1;
		expect(() => endOfAny(deep, 0)).toThrow(/nested too deeply/);
	});

	it('says whether every log entry names the writer exactly as a full decode does, for any shape of entry', () => {
		const me = { id: 'person:priya', name: 'Priya Shah' };
		/** The rule as it reads with the values decoded whole (lib0's readAny). */
		const decodedVerdict = (values: unknown[], key: string) =>
			values.every((entry) => {
				if (entry === null || typeof entry !== 'object') return true;
				const person = (entry as Record<string, unknown>)[key];
				if (person === null || typeof person !== 'object') return false;
				const { id, name } = person as { id?: unknown; name?: unknown };
				return id === me.id && name === me.name;
			});
		const people: unknown[] = [me, { ...me, note: { deep: [1, 'x', null] } }, { name: me.name, id: me.id }, { id: me.id }, { name: me.name }, { id: me.id, name: 'Priya' }, { id: 'person:omar', name: me.name }, { id: 7, name: me.name }, { id: me.id, name: me.name, id2: me.id }, [me.id, me.name], null, 'Priya Shah', 12, { id: [me.id], name: me.name }];
		const generator = prng.create(11);
		const random = (n: number) => prng.uint32(generator, 0, n - 1);
		const entryOf = (key: string): unknown => {
			const shape = random(8);
			if (shape === 0) return 'ALIAS-1';
			if (shape === 1) return null;
			if (shape === 2) return [1, 2];
			if (shape === 3) return { id: 'c1', text: 'no author' };
			const entry: Record<string, unknown> = { id: `c${random(100)}`, at: random(10_000), text: 'checked @Omar Ali '.repeat(random(3)) };
			entry[random(4) === 0 ? (key === 'author' ? 'by' : 'author') : key] = people[random(people.length)];
			return entry;
		};
		let refused = 0;
		for (let round = 0; round < 400; round++) {
			const key = round % 2 === 0 ? 'author' : 'by';
			const values = Array.from({ length: 1 + random(3) }, () => entryOf(key));
			const update = updateOf(undefined, (doc) => doc.getArray('log').push(values));
			const item = [...readUpdateHeaders(update).items.values()].flat().find((header) => header.content === contentKinds.any)!;
			const expected = decodedVerdict(readAnyContent(update, item), key);
			expect(everyValueWrittenBy(update, item, key, me), JSON.stringify(values)).toBe(expected);
			if (!expected) refused++;
		}
		expect(refused).toBeGreaterThan(50);
		expect(refused).toBeLessThan(350);
	});
});
