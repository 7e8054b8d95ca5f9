/**
 * How people come back (`backend.identity`): single sign-on with OpenID Connect, sign-in links by
 * email, invites sent by email, and the approval queue. Each way ends in an ordinary server-side
 * session for a person of the `people` collection, found by their verified email address, so a
 * returning person is always the same person.
 */
import type { InviteView } from '#lib/protocol/workspace.ts';
import type { AccessLayer } from '../access/access-layer.ts';
import { personPrincipalId } from '../access/people.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { AccessRequests } from './access-requests.ts';
import { EmailLinks } from './email-links.ts';
import type { IdentityConfig } from './identity-config.ts';
import { IdentityError } from './identity-errors.ts';
import { MailOutbox, type OutboxLimits } from './mail-outbox.ts';
import { OidcSignIn, type OidcOutcome } from './oidc-sign-in.ts';

export interface IdentityParts {
	config: IdentityConfig;
	store: Store;
	access: AccessLayer;
	auth: Authenticator;
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
	#auth: Authenticator;
	#access: AccessLayer;
	#log: Logger;

	constructor(parts: IdentityParts) {
		const { config, store, access, log } = parts;
		this.#auth = parts.auth;
		this.#access = access;
		this.#log = log;
		this.requests = new AccessRequests({ store, people: access.people, workspace: access.workspace, log });
		this.oidc = new OidcSignIn({ providers: config.oidcProviders, store, people: access.people, workspace: access.workspace, requests: this.requests, log });
		this.outbox = config.mail && new MailOutbox({ store, log, mail: config.mail, instanceId: parts.instanceId, limits: parts.outboxLimits });
		this.emailLinks = this.outbox && new EmailLinks({ store, people: access.people, outbox: this.outbox, clientLimiter: access.limiter, log });
		this.outbox?.start();
	}

	/** Asks for a sign-in link (the same answer whether or not the address is known). */
	async requestEmailLink(email: unknown, client: { address: string }, origin: string): Promise<void> {
		if (!this.emailLinks) throw new IdentityError('not_configured', 'Sign-in by email is not set up here (the server has no SMTP_URL). Use your invite link or single sign-on.');
		await this.emailLinks.request(email, client, origin);
	}

	/** Uses a sign-in link once and starts a session. */
	async signInWithEmailLink(token: unknown, client: { address: string; userAgent?: string | undefined }): Promise<SignedIn> {
		if (!this.emailLinks) throw new IdentityError('link_invalid', 'Sign-in by email is not set up here.');
		if (!this.#access.limiter.take('signIn', client.address)) {
			const seconds = this.#access.limiter.retryAfterSeconds('signIn', client.address);
			throw new IdentityError('rate_limited', `Too many attempts from your network. Wait ${seconds} seconds and try again.`, { retryAfterSeconds: seconds });
		}
		const personId = await this.emailLinks.consume(token);
		return this.#session(personId, client.userAgent, 'email');
	}

	/** Ends a single sign-on: a session for a known (or newly joined) person, or the waiting page. */
	async finishOidc(providerId: string, callbackUrl: URL, flowCookie: string | undefined, userAgent: string | undefined): Promise<{ kind: 'signed-in'; signedIn: SignedIn } | Extract<OidcOutcome, { kind: 'waiting' }>> {
		const outcome = await this.oidc.finish(providerId, callbackUrl, flowCookie);
		if (outcome.kind === 'waiting') return outcome;
		return { kind: 'signed-in', signedIn: await this.#session(outcome.personId, userAgent, `oidc:${outcome.providerId}`) };
	}

	/** Sends an invite for one person to their address (when mail is set up); false when it was not sent. */
	async sendInvite(invite: InviteView, link: string, by: Principal): Promise<boolean> {
		if (!this.outbox || !invite.email) return false;
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

	async close(): Promise<void> {
		await this.outbox?.close();
	}

	async #session(personId: string, userAgent: string | undefined, signedInWith: string): Promise<SignedIn> {
		const person = await this.#access.people.get(personId);
		if (!person) throw new IdentityError('link_invalid', 'This person no longer exists. Ask a Missions Unit lead for an invite.');
		const { cookieValue } = await this.#auth.startSession(personPrincipalId(person.id), userAgent?.slice(0, 300), signedInWith);
		this.#log.info({ person: person.id, via: signedInWith }, 'signed in');
		return { cookieValue, personId: person.id };
	}
}
