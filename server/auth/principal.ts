/**
 * Who is on the other end of a request or connection, as the server decided it.
 * The access layer fills these from sessions, API tokens and wall-display tokens.
 */
import { personRoles } from '#lib/protocol/workspace.ts';

export const roles = personRoles;
export type Role = (typeof roles)[number];

export const principalKinds = ['admin', 'person', 'wall', 'api-token'] as const;
export type PrincipalKind = (typeof principalKinds)[number];

export interface Principal {
	/** Stable id used for attribution: `admin`, `person:<id>`, `wall:<id>` (an API token acts as its person). */
	readonly id: string;
	readonly kind: PrincipalKind;
	readonly name: string;
	readonly role: Role;
	/** The person's department; undefined for the admin and wall displays. */
	readonly departmentId?: string;
	/** The session (hashed id), API-token or wall-display record this principal came from, for revocation. */
	readonly credentialId?: string;
	/** A wall display's scope: the missions and boards it may show. */
	readonly scope?: { readonly missionIds?: readonly string[]; readonly boardIds?: readonly string[] };
	/**
	 * An adviser's missions: those whose leadership names this person in its `advisers` list
	 * (resolved afresh with the person, like the role and department). Read on every board of them.
	 */
	readonly advises?: readonly string[];
}

export const adminPrincipal: Principal = Object.freeze({
	id: 'admin',
	kind: 'admin',
	name: 'Administrator',
	role: 'lead'
});

/** Leads and editors write; viewers, advisers (a mission's critical friends) and walls only read. */
export function canWrite(principal: Principal): boolean {
	return principal.kind !== 'wall' && (principal.role === 'lead' || principal.role === 'editor');
}
