/**
 * The board lives in a Yjs document in the browser (IndexedDB + the sync socket), so the live page
 * renders there. The server renders only the first screen into the HTML (the rows it cut out of its
 * document, `board-first-screen.svelte`), so they show before any JavaScript has run; the server's
 * part is otherwise the access check and the board's metadata (`+page.server.ts`).
 */
export const ssr = true;
