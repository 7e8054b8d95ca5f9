import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { transformPosition } from './text-binding.ts';

/** The delta of a remote change to `before`, as a Y.Text observer sees it. */
function deltaOf(before: string, change: (text: Y.Text) => void): Y.YTextEvent['delta'] {
	const doc = new Y.Doc();
	const text = doc.getText('t');
	text.insert(0, before);
	let delta: Y.YTextEvent['delta'] = [];
	text.observe((event) => {
		delta = event.delta;
	});
	change(text);
	return delta;
}

describe('transformPosition', () => {
	it('moves the caret right when text is inserted before it, not after', () => {
		const delta = deltaOf('hello world', (t) => t.insert(0, '>> '));
		expect(transformPosition(5, delta)).toBe(8);
		expect(transformPosition(0, delta)).toBe(0);
		const after = deltaOf('hello world', (t) => t.insert(11, '!'));
		expect(transformPosition(5, after)).toBe(5);
	});

	it('moves the caret left by what was deleted before it, never past the deletion', () => {
		const delta = deltaOf('hello world', (t) => t.delete(0, 6));
		expect(transformPosition(8, delta)).toBe(2);
		expect(transformPosition(3, delta)).toBe(0);
	});

	it('follows several edits in one change', () => {
		const delta = deltaOf('abcdef', (t) => {
			t.doc!.transact(() => {
				t.delete(1, 2);
				t.insert(3, 'XYZ');
			});
		});
		// "abcdef" → "adef" → "adeXYZf"; a caret after "e" (5) ends after "e" (3).
		expect(transformPosition(5, delta)).toBe(3);
		// A caret at the end follows the inserted text.
		expect(transformPosition(6, delta)).toBe(7);
	});
});
