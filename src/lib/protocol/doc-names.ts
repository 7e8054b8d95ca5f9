import { z } from 'zod';

/**
 * Names of Yjs documents served at `/yjs/<docName>`.
 * A board's document is `board:<boardId>`; other programs may sync any well-formed name the
 * server lets them open.
 */
export const docNamePattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const docName = z.string().regex(docNamePattern, 'a document name is 1–128 letters, digits, ".", "_", ":" or "-"');

export type DocName = z.infer<typeof docName>;

export const boardDocPrefix = 'board:';

export function boardDocName(boardId: string): DocName {
	return `${boardDocPrefix}${boardId}`;
}

/** The board id of a board document name, or undefined for any other document. */
export function boardIdOfDoc(name: string): string | undefined {
	return name.startsWith(boardDocPrefix) ? name.slice(boardDocPrefix.length) : undefined;
}

/** Parses the path of a sync request (`/yjs/<docName>`); undefined when it is not one. */
export function docNameFromPath(pathname: string): DocName | undefined {
	if (!pathname.startsWith('/yjs/')) return undefined;
	let raw: string;
	try {
		raw = decodeURIComponent(pathname.slice('/yjs/'.length));
	} catch {
		return undefined;
	}
	const parsed = docName.safeParse(raw);
	return parsed.success ? parsed.data : undefined;
}
