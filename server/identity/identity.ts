/**
 * How people come back (`backend.identity`): single sign-on with OpenID Connect, sign-in links by
 * email, invites sent by email, and the approval queue. Each way ends in an ordinary server-side
 * session for a person of the `people` collection, found by their verified email address, so a
 * returning person is always the same person.
 */
import { matchOwners, type OwnerMatchReport } from '#lib/board/owner-matching.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { DirectoryEntry } from '#lib/protocol/identity.ts';
import type { MyWork } from '#lib/protocol/my-work.ts';
import type { InviteView } from '#lib/protocol/workspace.ts';
import type { AccessLayer } from '../access/access-layer.ts';
import { personIdOf, personPrincipalId } from '../access/people.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import { isLead } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { AccessRequests } from './access-requests.ts';
import { EmailLinks } from './email-links.ts';
import type { IdentityConfig } from './identity-config.ts';
import { IdentityError } from './identity-errors.ts';
import { MailOutbox, type OutboxLimits } from './mail-outbox.ts';
import { myWorkOf } from './my-work.ts';
import { oidcDefaults, oidcFlowCookieName } from './oidc-paths.ts';
import { OidcSignIn, type OidcOutcome } from './oidc-sign-in.ts';

export interface IdentityParts {
	config: IdentityConfig;
	/** ORIGIN: the site's own address, for links in emails (required with mail). */
	origin: string | undefined;
	store: Store;
	access: AccessLayer;
	auth: Authenticator;
	hub: DocHub;
	log: Logger;
	instanceId: string;
	outboxLimits?: Partial<OutboxLimits>;
}

export interface SignedIn {
	/** The new session's cookie value (`mc_session`). */
	cookieValue: string;
	personId: string;
}

export class Identity {
	readonly oidc: OidcSignIn;
	readonly requests: AccessRequests;
	/** With SMTP_URL and MAIL_FROM: the durable queue of outgoing mail. */
	readonly outbox: MailOutbox | undefined;
	/** With mail: sign-in links by email. */
	readonly emailLinks: EmailLinks | undefined;
	/** The cookie that ties a single sign-on callback to its start. */
	readonly oidcFlowCookie = { name: oidcFlowCookieName, maxAgeSeconds: oidcDefaults.flowValidForMs / 1000 } as const;
	#auth: Authenticator;
	#origin: string;
	#hub: DocHub;
	#access: AccessLayer;
	#log: Logger;

	constructor(parts: IdentityParts) {
		const { config, store, access, log } = parts;
		this.#auth = parts.auth;
		this.#origin = parts.origin ?? '';
		this.#hub = parts.hub;
		this.#access = access;
		this.#log = log;
		this.requests = new AccessRequests({ store, people: access.people, workspace: access.workspace, log });
		this.oidc = new OidcSignIn({ providers: config.oidcProviders, store, people: access.people, workspace: access.workspace, requests: this.requests, log });
		this.outbox = config.mail && new MailOutbox({ store, log, mail: config.mail, instanceId: parts.instanceId, limits: parts.outboxLimits });
		this.emailLinks = this.outbox && new EmailLinks({ store, people: access.people, outbox: this.outbox, clientLimiter: access.limiter, log });
		this.outbox?.start();
	}

	/** The site's address for links in emails (ORIGIN), never taken from a request. */
	get origin(): string {
		return this.#origin;
	}

	/**
	 * Asks for a sign-in link (the same answer whether or not the address is known). `next`, a local
	 * path the caller has already checked, rides along in the link so signing in lands there.
	 */
	async requestEmailLink(email: unknown, client: { address: string }, next?: string): Promise<void> {
		if (!this.emailLinks) throw new IdentityError('not_configured', 'Sign-in by email is not set up here (the server has no SMTP_URL). Use your invite link or single sign-on.');
		await this.emailLinks.request(email, client, this.#origin, next);
	}

	/**
	 * A signed-in person with no address yet (joined by an invite without one) gives theirs: a
	 * confirmation link goes to it, and using that link makes it theirs. `not_configured` without mail.
	 */
	async askToVerifyEmail(caller: Principal | undefined, email: unknown, client: { address: string }): Promise<void> {
		if (!caller) throw new IdentityError('unauthenticated', 'sign in first');
		const person = caller.kind === 'person' ? await this.#access.people.get(personIdOf(caller.id) ?? '') : undefined;
		if (!person) throw new IdentityError('forbidden', 'only a person signed in with their own identity has an email address here');
		if (!this.emailLinks) throw new IdentityError('not_configured', 'Sign-in links by email are not available here: the server has no mail set up (SMTP_URL). Keep this browser signed in, or ask a Missions Unit lead to add your address.');
		if (person.email) throw new IdentityError('conflict', 'You already have a confirmed email address. Ask a Missions Unit lead to change it.');
		const verdict = await this.#access.limiter.take('signIn', client.address);
		if (!verdict.allowed) {
			const seconds = verdict.retryAfterSeconds;
			throw new IdentityError('rate_limited', `Too many attempts from your network. Wait ${seconds} seconds and try again.`, { retryAfterSeconds: seconds });
		}
		await this.emailLinks.requestVerification(person, email, this.#origin);
	}

	/** Uses a sign-in link once and starts a session. */
	async signInWithEmailLink(token: unknown, client: { address: string; userAgent?: string | undefined }): Promise<SignedIn> {
		if (!this.emailLinks) throw new IdentityError('link_invalid', 'Sign-in by email is not set up here.');
		const verdict = await this.#access.limiter.take('signIn', client.address);
		if (!verdict.allowed) {
			const seconds = verdict.retryAfterSeconds;
			throw new IdentityError('rate_limited', `Too many attempts from your network. Wait ${seconds} seconds and try again.`, { retryAfterSeconds: seconds });
		}
		const { personId, verifiedEmail } = await this.emailLinks.consume(token);
		if (verifiedEmail) await this.#takeAddress(personId, verifiedEmail);
		return this.#session(personId, client.userAgent, 'email');
	}

	/** Ends a single sign-on: a session for a known (or newly joined) person, or the waiting page. */
	async finishOidc(providerId: string, callbackUrl: URL, flowCookie: string | undefined, userAgent: string | undefined): Promise<{ kind: 'signed-in'; signedIn: SignedIn } | Extract<OidcOutcome, { kind: 'waiting' }>> {
		const outcome = await this.oidc.finish(providerId, callbackUrl, flowCookie);
		if (outcome.kind === 'waiting') return outcome;
		return { kind: 'signed-in', signedIn: await this.#session(outcome.personId, userAgent, `oidc:${outcome.providerId}`) };
	}

	/** Sends an invite for one person to their address (when mail is set up); false when it was not sent. */
	async sendInvite(invite: InviteView, path: string, by: Principal): Promise<boolean> {
		if (!this.outbox || !invite.email) return false;
		const link = `${this.#origin}${path}`;
		const department = await this.#access.workspace.getDepartment(invite.departmentId);
		await this.outbox.queue({
			id: `invite-${invite.id}`,
			kind: 'invite',
			to: invite.email,
			subject: `${by.name} invited you to Mission Control`,
			text: [
				`${by.name} invited you to join Mission Control${department ? ` for ${department.name}` : ''} as ${invite.role === 'viewer' ? 'a viewer' : `an ${invite.role === 'editor' ? 'editor' : 'lead'}`}.`,
				'',
				'Open this link to accept. It is for you alone and works once:',
				'',
				link,
				'',
				`It expires on ${new Date(invite.expiresAt).toUTCString()}. After that, ask ${by.name} for a new one.`,
				'Once you have joined, you can always sign in again with a link sent to this address.'
			].join('\n')
		});
		return true;
	}

	/**
	 * The people of the workspace, for owner pickers and @mentions: principal id, name and department
	 * code. Every signed-in person may read it (owners come from every department); a wall display may not.
	 */
	async directory(caller: Principal | undefined): Promise<DirectoryEntry[]> {
		if (!caller) throw new IdentityError('unauthenticated', 'sign in first');
		if (caller.kind === 'wall') throw new IdentityError('forbidden', 'a wall display has no use for the people directory');
		const [people, departments] = await Promise.all([this.#access.people.list(), this.#access.workspace.listDepartments()]);
		const code = new Map(departments.map((department) => [department.id, department.code]));
		return people.map((person) => ({ id: personPrincipalId(person.id), name: person.name, department: code.get(person.departmentId) }));
	}

	/** What the caller owns, what their department provides or receives, what waits on them, what is due, where they were mentioned. */
	async myWork(caller: Principal | undefined): Promise<MyWork> {
		if (!caller) throw new IdentityError('unauthenticated', 'sign in first');
		if (caller.kind === 'wall') throw new IdentityError('forbidden', 'a wall display has no work of its own');
		return myWorkOf({ hub: this.#hub, workspace: this.#access.workspace, directory: await this.directory(caller) }, caller);
	}

	/**
	 * The owners migration (leads): on every board, free-text owners whose name is that of exactly
	 * one person of the workspace are tied to that person (`src/lib/board/owner-matching.ts`). Safe to
	 * run again: it only fills in missing ids. Each board's change is attributed to the caller.
	 */
	async matchOwners(caller: Principal | undefined): Promise<{ boards: number } & OwnerMatchReport> {
		if (!caller) throw new IdentityError('unauthenticated', 'sign in first');
		if (!isLead(caller)) throw new IdentityError('forbidden', 'only Missions Unit leads can run the owners migration');
		const directory = await this.directory(caller);
		const total = { boards: 0, matched: 0, ambiguous: [] as string[], unmatched: 0 };
		for (const board of await this.#access.workspace.listBoards()) {
			if (board.archived) continue;
			const report = await this.#hub.transact(boardDocName(board.id), caller, (doc) => matchOwners(doc, directory));
			total.boards++;
			total.matched += report.matched;
			total.unmatched += report.unmatched;
			total.ambiguous = [...new Set([...total.ambiguous, ...report.ambiguous])].sort();
		}
		this.#log.info({ by: caller.id, boards: total.boards, matched: total.matched, ambiguous: total.ambiguous.length }, 'owners matched to people');
		return total;
	}

	async close(): Promise<void> {
		await this.outbox?.close();
	}

	/** A confirmation link was used: the address becomes the person's, unless someone else has it by now. */
	async #takeAddress(personId: string, email: string): Promise<void> {
		const holder = await this.#access.people.findByEmail(email);
		if (holder && holder.id !== personId) throw new IdentityError('conflict', 'This address already belongs to another person here. Sign in with a link sent to it instead.');
		await this.#access.people.update(personId, { email }, personPrincipalId(personId));
		this.#log.info({ person: personId }, 'email address confirmed');
	}

	async #session(personId: string, userAgent: string | undefined, signedInWith: string): Promise<SignedIn> {
		const person = await this.#access.people.get(personId);
		if (!person) throw new IdentityError('link_invalid', 'This person no longer exists. Ask a Missions Unit lead for an invite.');
		const { cookieValue } = await this.#auth.startSession(personPrincipalId(person.id), userAgent?.slice(0, 300), signedInWith);
		this.#log.info({ person: person.id, via: signedInWith }, 'signed in');
		return { cookieValue, personId: person.id };
	}
}
