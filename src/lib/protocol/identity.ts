/**
 * Wire shapes of sign-in by email, single sign-on's approval queue and the people directory (the
 * owner pickers' list). Shared by the server, the API (and its OpenAPI description) and the pages.
 */
import { z } from 'zod';
import { emailAddress, entityId, personName, personRole } from './workspace.ts';

/** `POST /api/sign-in/email`: always answered 202 (whether or not the address is known). */
export const emailSignInInput = z.strictObject({ email: z.string().max(320) });

export const emailSignInAnswer = z.object({ message: z.string() });

/** Someone who signed in through single sign-on and waits for a lead to let them in. */
export const accessRequest = z.object({
	id: z.string(),
	email: emailAddress,
	name: personName,
	/** The provider they signed in with (its button label). */
	provider: z.string(),
	/** The department their email domain maps to, if any: the lead's default choice. */
	departmentId: entityId.optional(),
	status: z.enum(['pending', 'approved', 'declined']),
	requestedAt: z.number().int(),
	decidedAt: z.number().int().optional(),
	decidedBy: z.string().optional()
});
export type AccessRequest = z.infer<typeof accessRequest>;

export const approveAccessInput = z.strictObject({ departmentId: entityId, role: personRole.default('viewer') });
export type ApproveAccessInput = z.input<typeof approveAccessInput>;

/**
 * A person of the workspace as owner pickers list them: `id` is their principal id (`person:<id>`),
 * the value a record's person field keeps. No addresses, roles or sessions.
 */
export const directoryEntry = z.object({
	id: z.string(),
	name: z.string(),
	/** The department's short code, to tell two people of the same name apart. */
	department: z.string().optional()
});
export type DirectoryEntry = z.infer<typeof directoryEntry>;
