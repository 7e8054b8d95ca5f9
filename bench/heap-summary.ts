/**
 * Summarises a V8 heap snapshot (`node --heapsnapshot-signal=SIGUSR2`, `v8.writeHeapSnapshot()`):
 * the shallow size and count of objects per constructor, largest first, so a snapshot says where
 * the heap goes without opening DevTools.
 *
 *   node bench/heap-summary.ts <file.heapsnapshot> [--top 30]
 */
import { readFileSync } from 'node:fs';

type Snapshot = {
	snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
	nodes: number[];
	strings: string[];
};

export type HeapGroup = { name: string; count: number; bytes: number };

/** Shallow bytes and object counts per "type:constructor", largest first. */
export function summariseHeap(snapshot: Snapshot): { total: number; groups: HeapGroup[] } {
	const fields = snapshot.snapshot.meta.node_fields;
	const width = fields.length;
	const typeField = fields.indexOf('type');
	const nameField = fields.indexOf('name');
	const sizeField = fields.indexOf('self_size');
	const types = snapshot.snapshot.meta.node_types[0];
	const groups = new Map<string, HeapGroup>();
	let total = 0;
	for (let at = 0; at < snapshot.nodes.length; at += width) {
		const type = types[snapshot.nodes[at + typeField] ?? 0] ?? 'unknown';
		const size = snapshot.nodes[at + sizeField] ?? 0;
		// Strings and code are grouped by type: their "names" are their contents.
		const name = type === 'object' || type === 'closure' || type === 'native' ? `${type}:${snapshot.strings[snapshot.nodes[at + nameField] ?? 0]}` : type;
		const group = groups.get(name) ?? { name, count: 0, bytes: 0 };
		group.count++;
		group.bytes += size;
		groups.set(name, group);
		total += size;
	}
	return { total, groups: [...groups.values()].sort((a, b) => b.bytes - a.bytes) };
}

if (import.meta.main) {
	const [file] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
	const topAt = process.argv.indexOf('--top');
	const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 30;
	if (!file) {
		console.error('usage: node bench/heap-summary.ts <file.heapsnapshot> [--top 30]');
		process.exit(2);
	}
	const { total, groups } = summariseHeap(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
	const mb = (bytes: number) => (bytes / 1_048_576).toFixed(2);
	console.log(`heap: ${mb(total)} MB in ${groups.reduce((sum, group) => sum + group.count, 0).toLocaleString('en')} objects`);
	for (const group of groups.slice(0, top)) console.log(`${mb(group.bytes).padStart(8)} MB ${String(group.count).padStart(9)}  ${group.name}`);
}
