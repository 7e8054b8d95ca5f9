/**
 * @mentions in comments: `@Priya Shah` names a person of the workspace. A mention is the person's
 * name as the directory has it, after an "@" at the start or after a space or bracket, ending at a
 * non-letter; longer names win over shorter ones ("@Sam Jones-Smith" is not "@Sam Jones").
 */
import type { DirectoryEntry } from '../protocol/identity.ts';

const boundaryBefore = /(^|[\s(\[{"'“‘])$/u;
const letter = /[\p{L}\p{N}_-]/u;

/** The people a comment mentions, each once, in the order of the directory. */
export function mentionedPeople(text: string, directory: readonly DirectoryEntry[]): DirectoryEntry[] {
	const lower = text.toLowerCase();
	const byLength = [...directory].sort((a, b) => b.name.length - a.name.length);
	const taken: Array<[number, number]> = [];
	const found = new Set<string>();
	for (const entry of byLength) {
		const needle = `@${entry.name.toLowerCase()}`;
		for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + 1)) {
			const end = at + needle.length;
			if (!boundaryBefore.test(text.slice(0, at)) || letter.test(text.charAt(end))) continue;
			if (taken.some(([start, stop]) => at < stop && end > start)) continue;
			taken.push([at, end]);
			found.add(entry.id);
		}
	}
	return directory.filter((entry) => found.has(entry.id));
}
