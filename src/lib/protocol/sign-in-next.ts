/**
 * Where to land after signing in: the page that sent the person to sign in (`/login?next=…`).
 * Only a path on this site is accepted (never `//host`, a scheme, or the sign-in page itself),
 * so the parameter cannot send anyone elsewhere.
 */
const maxNextChars = 2_000;

/** `next` when it is a safe local path, else undefined. */
export function safeNext(raw: string | null | undefined): string | undefined {
	if (!raw || raw.length > maxNextChars) return undefined;
	if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || /[\u0000-\u001f\\]/.test(raw)) return undefined;
	const url = new URL(raw, 'http://local.invalid');
	if (url.origin !== 'http://local.invalid' || url.pathname === '/login' || url.pathname.startsWith('/login/')) return undefined;
	return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, asked to come back to `url` afterwards. */
export function signInPath(url: URL): string {
	const next = safeNext(`${url.pathname}${url.search}`);
	return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}
