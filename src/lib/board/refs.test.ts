import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RegisterName } from '../protocol/registers.ts';
import { createRecord, findAllByRef, findByRef, listRecords, reconcileRefs } from './board-doc.ts';
import { refKeys, registerMap } from './layout.ts';
import { buildRefIndex, resolveRefs } from './refs.ts';

const alice = { name: 'Alice' };
const bob = { name: 'Bob' };

function dependency(title: string) {
	return {
		title,
		providerDepartment: 'hmt',
		providerOwner: alice,
		receiverDepartment: 'dfe',
		receiverOwner: bob,
		deliverable: `${title} data`
	};
}

/** Sends everything `from` has that `to` lacks. */
function sync(from: Y.Doc, to: Y.Doc) {
	Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

function refsById(doc: Y.Doc, register: RegisterName = 'dependencies'): Record<string, string> {
	const out: Record<string, string> = {};
	for (const result of listRecords(doc, register, { includeArchived: true })) {
		if (!result.ok) throw new Error(`invalid record ${result.id}`);
		out[result.id] = result.record.ref;
	}
	return out;
}

const duplicates = (refs: Record<string, string>) =>
	Object.values(refs).filter((ref, i, all) => all.indexOf(ref) !== i);

/** Two replicas with a shared history, then offline creation on both. */
function offlineScenario() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	createRecord(a, 'dependencies', dependency('shared 1'), alice, { now: 1_000 });
	createRecord(a, 'dependencies', dependency('shared 2'), alice, { now: 1_001 });
	sync(a, b);
	// Offline: both allocate DEP-3 onwards.
	const a3 = createRecord(a, 'dependencies', dependency('alice 3'), alice, { now: 2_000 });
	const a4 = createRecord(a, 'dependencies', dependency('alice 4'), alice, { now: 2_010 });
	const b3 = createRecord(b, 'dependencies', dependency('bob 3'), bob, { now: 2_005 });
	const b4 = createRecord(b, 'dependencies', dependency('bob 4'), bob, { now: 2_020 });
	const b5 = createRecord(b, 'dependencies', dependency('bob 5'), bob, { now: 2_030 });
	expect([a3.ref, a4.ref, b3.ref, b4.ref, b5.ref]).toEqual(['DEP-3', 'DEP-4', 'DEP-3', 'DEP-4', 'DEP-5']);
	return { a, b, a3, a4, b3, b4, b5 };
}

describe('short references under concurrent offline creation', () => {
	it('resolves duplicates the same way on both sides, whatever the merge order', () => {
		const { a, b, a3, a4, b3, b4, b5 } = offlineScenario();
		sync(b, a); // a receives b's records
		sync(a, b); // b receives a's records (a different order of integration)
		const onA = refsById(a);
		const onB = refsById(b);
		expect(onA).toEqual(onB);
		expect(duplicates(onA)).toEqual([]);
		// The first claim of each number keeps it; later claims get fresh numbers above the max.
		expect(onA[a3.id]).toBe('DEP-3'); // created at 2000, before bob's DEP-3 (2005)
		expect(onA[b3.id]).toBe('DEP-6');
		expect(onA[a4.id]).toBe('DEP-4'); // 2010 before 2020
		expect(onA[b4.id]).toBe('DEP-7');
		expect(onA[b5.id]).toBe('DEP-5'); // no conflict: unchanged
	});

	it('reconciling persists exactly the refs that were shown, on every replica', () => {
		const { a, b, b3 } = offlineScenario();
		sync(b, a);
		sync(a, b);
		const shown = refsById(a);
		// Both replicas reconcile independently (say both were online), then sync again.
		expect(reconcileRefs(a)).toBe(2);
		expect(reconcileRefs(b)).toBe(2);
		sync(a, b);
		sync(b, a);
		expect(refsById(a)).toEqual(shown);
		expect(refsById(b)).toEqual(shown);
		expect(reconcileRefs(a)).toBe(0);
		const stored = registerMap(a, 'dependencies').get(b3.id) as Y.Map<unknown>;
		expect(stored.get(refKeys.seq)).toBe(6);
		expect((stored.get(refKeys.aliases) as Y.Array<number>).toArray()).toEqual([3]);
		for (const info of buildRefIndex(a, 'dependencies').byId.values()) expect(info.provisional).toBe(false);
	});

	it('still finds a record by the ref it had before it was renumbered', () => {
		const { a, b, a3, b3 } = offlineScenario();
		sync(b, a);
		reconcileRefs(a);
		const all = findAllByRef(a, 'DEP-3');
		expect(all.current?.id).toBe(a3.id);
		expect(all.formerly.map((r) => r.id)).toEqual([b3.id]);
		const renumbered = findByRef(a, 'DEP-6');
		expect(renumbered?.ok && renumbered.record.aliases).toEqual(['DEP-3']);
		expect(findByRef(a, 'dep 6')?.id).toBe(b3.id);
		expect(findByRef(a, 'DEP-99')).toBeUndefined();
		expect(findByRef(a, 'BLK-3')).toBeUndefined();
	});

	it('a former number that nobody holds now resolves to the record that held it', () => {
		const a = new Y.Doc();
		const x = createRecord(a, 'actions', action('Do x'), alice, { now: 5 });
		createRecord(a, 'actions', action('Do y'), alice, { now: 6 });
		// State as left by two successive renumberings of x: ACT-3 → ACT-6 → ACT-8.
		a.transact(() => {
			const map = registerMap(a, 'actions').get(x.id) as Y.Map<unknown>;
			map.set(refKeys.seq, 8);
			map.set(refKeys.aliases, Y.Array.from([3, 6]));
		});
		expect(findAllByRef(a, 'ACT-6')).toMatchObject({ current: undefined, formerly: [{ id: x.id }] });
		expect(findByRef(a, 'ACT-6')?.id).toBe(x.id);
		expect(findByRef(a, 'ACT-3')?.id).toBe(x.id);
		expect(findByRef(a, 'ACT-8')?.id).toBe(x.id);
		// Former numbers are never handed out again.
		expect(createRecord(a, 'actions', action('Do z'), alice).ref).toBe('ACT-9');
	});

	it('a record with a missing or junk seq (written by another program) gets a number and keeps it', () => {
		const a = new Y.Doc();
		const one = createRecord(a, 'actions', action('Do one'), alice, { now: 5 });
		const two = createRecord(a, 'actions', action('Do two'), alice, { now: 6 });
		const map = registerMap(a, 'actions').get(one.id) as Y.Map<unknown>;
		map.set(refKeys.seq, 'x');
		expect(refsById(a, 'actions')).toEqual({ [two.id]: 'ACT-2', [one.id]: 'ACT-3' });
		expect(buildRefIndex(a, 'actions').byId.get(one.id)?.provisional).toBe(true);
		expect(reconcileRefs(a)).toBe(1);
		expect(map.get(refKeys.seq)).toBe(3);
		expect(map.get(refKeys.aliases)).toBeUndefined(); // a junk number is not an alias
		map.delete(refKeys.seq);
		const three = createRecord(a, 'actions', action('Do three'), alice, { now: 7 });
		// createRecord reconciled first: `one` got its number back, the new record the next.
		expect(refsById(a, 'actions')).toEqual({ [two.id]: 'ACT-2', [one.id]: 'ACT-3', [three.id]: 'ACT-4' });
	});

	it('three replicas merged in every order agree, and new records never reuse a number', () => {
		const seeds = [alice, bob, { name: 'Carol' }].map((who, k) => {
			const doc = new Y.Doc();
			for (let i = 0; i < 3; i++) createRecord(doc, 'blockers', blocker(`${who.name} ${i}`), who, { now: 100 + i * 3 + k });
			return Y.encodeStateAsUpdate(doc);
		});
		const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
		const views = orders.map((order) => {
			const doc = new Y.Doc();
			for (const k of order) Y.applyUpdate(doc, seeds[k]!);
			return refsById(doc, 'blockers');
		});
		for (const view of views) expect(view).toEqual(views[0]);
		expect(duplicates(views[0]!)).toEqual([]);
		expect(Object.values(views[0]!).sort()).toEqual([...Array(9)].map((_, i) => `BLK-${i + 1}`).sort());

		const doc = new Y.Doc();
		for (const seed of seeds) Y.applyUpdate(doc, seed);
		const next = createRecord(doc, 'blockers', blocker('after merge'), alice);
		expect(next.ref).toBe('BLK-10');
		expect(refsById(doc, 'blockers')).toMatchObject(views[0]!);
	});

	it('partial merges reconciled at different times still converge without duplicates', () => {
		const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
		docs.forEach((doc, k) => {
			for (let i = 0; i < 4; i++) createRecord(doc, 'actions', action(`r${k}-${i}`), alice, { now: 10 * i + k });
		});
		const [x, y, z] = docs as [Y.Doc, Y.Doc, Y.Doc];
		sync(x, y);
		reconcileRefs(y); // y sees x + y, renumbers
		createRecord(y, 'actions', action('y extra'), bob, { now: 100 });
		sync(z, x);
		reconcileRefs(x); // x sees x + z, renumbers differently
		for (const from of docs) for (const to of docs) if (from !== to) sync(from, to);
		for (const doc of docs) reconcileRefs(doc);
		for (const from of docs) for (const to of docs) if (from !== to) sync(from, to);
		const views = docs.map((doc) => refsById(doc, 'actions'));
		expect(views[1]).toEqual(views[0]);
		expect(views[2]).toEqual(views[0]);
		expect(Object.keys(views[0]!)).toHaveLength(13);
		expect(duplicates(views[0]!)).toEqual([]);
	});

	it('resolveRefs is a pure function of the entries, independent of their order', () => {
		const entries = [
			{ id: 'b', seq: 1, aliases: [], createdAt: 5 },
			{ id: 'a', seq: 1, aliases: [], createdAt: 5 },
			{ id: 'c', seq: 1, aliases: [4], createdAt: 1 },
			{ id: 'd', seq: undefined, aliases: [], createdAt: 0 }
		];
		const forward = resolveRefs('decisions', entries);
		const backward = resolveRefs('decisions', [...entries].reverse());
		const view = (index: typeof forward) => [...index.byId].map(([id, info]) => [id, info.ref]).sort();
		expect(view(forward)).toEqual(view(backward));
		// Fewest former numbers, then oldest, then smallest id keeps the number.
		expect(forward.byNumber.get(1)).toBe('a');
		// Losers take numbers above every number ever used (4 was c's), oldest first.
		expect(forward.byId.get('d')?.ref).toBe('DEC-5');
		expect(forward.byId.get('c')?.ref).toBe('DEC-6');
		expect(forward.byId.get('b')?.ref).toBe('DEC-7');
		expect(forward.byId.get('c')?.aliases).toEqual([4, 1]);
	});
});

function blocker(title: string) {
	return { title, owner: alice, unblocker: 'Programme board', raisedOn: '2026-01-05' };
}

function action(text: string) {
	return { text, owner: alice, due: '2026-02-01' };
}
