/**
 * Binds a textarea (or input) to a Y.Text as a Svelte attachment. Typing goes through `write`
 * (the board model's updateRecord, which splices only the changed middle), so two people typing
 * in the same field merge; other people's changes (and undo) update the element while keeping
 * the caret where it was relative to the text around it.
 */
import type { Attachment } from 'svelte/attachments';
import type * as Y from 'yjs';

type TextElement = HTMLTextAreaElement | HTMLInputElement;

/** Moves a caret position through a Y.Text delta (positions in UTF-16 units, like the DOM). */
export function transformPosition(position: number, delta: Y.YTextEvent['delta']): number {
	let index = 0;
	let result = position;
	for (const op of delta) {
		if (op.retain !== undefined) {
			index += op.retain;
		} else if (op.insert !== undefined) {
			const length = typeof op.insert === 'string' ? op.insert.length : 1;
			if (index < result) result += length;
			index += length;
		} else if (op.delete !== undefined) {
			if (index < result) result -= Math.min(op.delete, result - index);
		}
		if (index > result) break;
	}
	return result;
}

/**
 * `write(value)` applies the element's value to the document and returns whether it was
 * accepted; a refused value (too long, say) is replaced by the document's text.
 */
export function bindText(text: Y.Text, write: (value: string) => boolean): Attachment<TextElement> {
	return (element) => {
		let writing = false;
		element.value = text.toString();

		const onInput = () => {
			writing = true;
			let accepted = false;
			try {
				accepted = write(element.value);
			} finally {
				writing = false;
			}
			if (!accepted && text.toString() !== element.value) element.value = text.toString();
		};

		const onChange = (event: Y.YTextEvent) => {
			if (writing) return;
			const next = text.toString();
			if (next === element.value) return;
			const focused = element.ownerDocument.activeElement === element;
			const start = element.selectionStart ?? 0;
			const end = element.selectionEnd ?? 0;
			element.value = next;
			if (focused) element.setSelectionRange(transformPosition(start, event.delta), transformPosition(end, event.delta));
		};

		text.observe(onChange);
		element.addEventListener('input', onInput);
		return () => {
			text.unobserve(onChange);
			element.removeEventListener('input', onInput);
		};
	};
}
