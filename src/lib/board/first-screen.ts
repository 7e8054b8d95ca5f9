/**
 * The first screen of a board: the rows a person sees before scrolling, cut out of the server's
 * document into a small document of their own, so the page can show them while the whole board
 * (megabytes on a large board) is still on its way and being applied. The page renders them with
 * the same table as the live board, inert, and swaps in the live document once it has synced.
 *
 * The cut-out holds the chosen records and their server stamps, copied as they are; it is a
 * picture of one moment and is never synced or written to.
 */
import { fromBase64, toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';
import { registerNames, type RegisterName } from '../protocol/registers.ts';
import { registerMap } from './layout.ts';
import { stampsRoot } from './protected.ts';
import { buildRefIndex } from './refs.ts';

export const firstScreenDefaults = {
	/** Rows cut out: a 1440×900 screen shows about twenty table rows; a tall one, up to forty. */
	rows: 40
} as const;

export type FirstScreen = {
	register: RegisterName;
	/** The records shown, in the table's default order (by ref, archived ones left out). */
	ids: string[];
	/** Records the table would list (not archived) and records in the register. */
	shown: number;
	total: number;
	/** Every register's count as the live board's tabs show it (records in the register), so the first
	 * screen's tabs have the live tabs' widths and the row wraps alike. */
	counts: Record<RegisterName, number>;
	/**
	 * `Y.encodeStateAsUpdate` of the cut-out document, in base64: it travels inside the page's HTML,
	 * where a byte array is written out as a list of numbers (about 3.7 characters a byte, and slow
	 * to parse before the first paint) and base64 takes 1.33.
	 */
	update: string;
};

function copyOf(value: unknown): unknown {
	return value instanceof Y.AbstractType ? value.clone() : value;
}

/**
 * The first `rows` records of `register` in the table's default order, cut out of `doc`. Returns
 * undefined when the cut-out would show a record under another ref than the whole board does (refs
 * are settled over the whole register, and a cut-out can settle a contested number differently):
 * the page then waits for the live board rather than show a wrong ref.
 */
export function cutFirstScreen(doc: Y.Doc, register: RegisterName, rows: number = firstScreenDefaults.rows): FirstScreen | undefined {
	const source = registerMap(doc, register);
	const refs = buildRefIndex(doc, register);
	const listed: { id: string; n: number }[] = [];
	source.forEach((value, id) => {
		if (value instanceof Y.Map && value.get('archived') !== true) listed.push({ id, n: refs.byId.get(id)?.n ?? Number.MAX_SAFE_INTEGER });
	});
	listed.sort((a, b) => a.n - b.n);
	const ids = listed.slice(0, rows).map((entry) => entry.id);

	const cut = new Y.Doc();
	const stamps = doc.getMap(stampsRoot);
	cut.transact(() => {
		const target = registerMap(cut, register);
		const targetStamps = cut.getMap(stampsRoot);
		for (const id of ids) {
			target.set(id, copyOf(source.get(id)));
			const stamp = stamps.get(id);
			if (stamp !== undefined) targetStamps.set(id, copyOf(stamp));
		}
	});
	const cutRefs = buildRefIndex(cut, register);
	const sameRefs = ids.every((id) => cutRefs.byId.get(id)?.ref === refs.byId.get(id)?.ref);
	const update = toBase64(Y.encodeStateAsUpdate(cut));
	cut.destroy();
	if (!sameRefs) return undefined;
	const counts = Object.fromEntries(registerNames.map((name) => [name, registerMap(doc, name).size])) as Record<RegisterName, number>;
	return { register, ids, shown: listed.length, total: source.size, counts, update };
}

/** The cut-out as a document of its own in the browser (read-only by convention: nothing syncs it). */
export function openFirstScreen(screen: FirstScreen): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, fromBase64(screen.update));
	return doc;
}
