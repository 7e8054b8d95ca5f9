/**
 * The board lives in a Yjs document in the browser (IndexedDB + the sync socket), so the page
 * renders there: the server's part is the access check and the board's metadata (`+page.server.ts`).
 */
export const ssr = false;
