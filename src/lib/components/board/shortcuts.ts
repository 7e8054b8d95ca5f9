/** Which keys belong to the board and which to the control that has focus. */

/** Focus is in a control where letters mean something: single-key shortcuts (`n`, `/`) stay out of its way. */
export function isTyping(target: EventTarget | null): boolean {
	return target instanceof HTMLElement && (target.matches('input, textarea, select') || target.isContentEditable);
}

/**
 * A text field with the browser's own undo: its value is not in the document until committed, so
 * Ctrl+Z there is the browser's. Fields bound to a Y.Text (`data-ytext`) use the board's undo.
 */
export function hasOwnUndo(target: EventTarget | null): boolean {
	return (
		target instanceof HTMLElement &&
		!target.hasAttribute('data-ytext') &&
		target.matches('textarea, input:not([type=checkbox], [type=radio], [type=date], [type=button], [type=submit])')
	);
}
