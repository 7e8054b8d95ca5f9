/**
 * A service's message as a person reads it on a page: a capital first letter and a full stop. The
 * API sends the message as it is (`sign in first`); pages show `Sign in first.`
 */
export function sentence(text: string): string {
	return text ? text[0]!.toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.') : text;
}
