/**
 * The server side of the invite and board join link pages (`/invite/<token>`, `/join/<token>`):
 * the load shows who invited whom to what; `redeem` makes the person and their session; `join`
 * lets a signed-in member of the department bring it onto the board. Rate limited per address.
 */
import { fail, redirect, type Cookies } from '@sveltejs/kit';
import type { InvitePreview } from '#lib/protocol/workspace.ts';
import { sessionCookieName, sessionDefaults } from '#lib/protocol/session.ts';
import { backend } from '#lib/server/backend.ts';
import { roleForYou, ukDateTime } from '../access/format.ts';
import { sentence } from '#lib/protocol/sentence.ts';

export interface InvitePageData {
	preview: (InvitePreview & { roleText: string; expires: string }) | undefined;
	/** Why the link cannot be used (invalid, expired, used up, withdrawn, too many attempts). */
	problem: string | undefined;
	signedIn: { name: string; departmentId: string | undefined; kind: string } | undefined;
	/** A signed-in member of the link's department: they can join the board without a new identity. */
	member: boolean;
}

const statusProblems = {
	expired: 'This invite has expired. Ask the person who sent it for a new one.',
	used_up: 'This invite has been used as many times as it allows. Ask the person who sent it for a new one.',
	revoked: 'This invite was withdrawn. Ask the person who sent it for a new one.'
} as const;

interface PageEvent {
	params: { token: string };
	locals: App.Locals;
	getClientAddress(): string;
}

/** The root layout's data gives the workspace's date locale. */
interface LoadEvent extends PageEvent {
	parent(): Promise<{ dateLocale: string }>;
}

export async function loadInvite({ params, locals, getClientAddress, parent }: LoadEvent): Promise<InvitePageData> {
	const principal = locals.principal;
	const signedIn = principal && { name: principal.name, departmentId: principal.departmentId, kind: principal.kind };
	try {
		const preview = await backend().access.redemption.preview(params.token, { address: getClientAddress() });
		const problem = preview.status === 'active' ? undefined : statusProblems[preview.status];
		const member = Boolean(preview.board && principal?.kind === 'person' && principal.departmentId === preview.department.id);
		return { preview: { ...preview, roleText: roleForYou[preview.role], expires: ukDateTime(preview.expiresAt, (await parent()).dateLocale) }, problem, signedIn, member };
	} catch (error) {
		const failure = backend().failureOf(error);
		if (!failure) throw error;
		return { preview: undefined, problem: sentence(failure.message), signedIn, member: false };
	}
}

function setSession(cookies: Cookies, url: URL, value: string): void {
	cookies.set(sessionCookieName, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: Math.floor(sessionDefaults.idleTimeoutMs / 1000) });
}

interface ActionEvent extends PageEvent {
	request: Request;
	cookies: Cookies;
	url: URL;
}

export const inviteActions = {
	/** Gives a name, becomes a person of the department with the invite's role, and signs in. */
	redeem: async ({ params, request, cookies, url, getClientAddress }: ActionEvent) => {
		const form = await request.formData();
		const name = String(form.get('name') ?? '').slice(0, 200);
		let path: string;
		try {
			const redeemed = await backend().access.redemption.redeem(params.token, name, { address: getClientAddress(), userAgent: request.headers.get('user-agent') ?? undefined });
			setSession(cookies, url, redeemed.cookieValue);
			// Joined without an address (a link for a whole department): where a link can confirm one, ask
			// for it, so they can come back; without mail there is nothing to ask for.
			const askForEmail = !redeemed.person.email && Boolean(backend().identity.emailLinks);
			path = askForEmail ? `/me/email?next=${encodeURIComponent(redeemed.path)}` : redeemed.path;
		} catch (error) {
			const failure = backend().failureOf(error);
			if (!failure) throw error;
			return fail(failure.status, { name, message: sentence(failure.message), field: failure.code === 'invalid_request' ? 'name' : undefined });
		}
		redirect(303, path);
	},
	/** A signed-in member of the link's department joins its board for the department. */
	join: async ({ params, locals, getClientAddress }: ActionEvent) => {
		if (!locals.principal) return fail(401, { name: '', message: 'Sign in first.', field: undefined });
		let path: string;
		try {
			path = await backend().access.redemption.joinAsMember(params.token, locals.principal, { address: getClientAddress() });
		} catch (error) {
			const failure = backend().failureOf(error);
			if (!failure) throw error;
			return fail(failure.status, { name: '', message: sentence(failure.message), field: undefined });
		}
		redirect(303, path);
	}
};
