/**
 * Named errors of sign-in by email link and single sign-on, in the backend's one hierarchy
 * (`server/errors.ts`, which also says each code's status). Messages are safe to show (they never
 * say whether an address or a person exists).
 */
import { AppError, type AppErrorOptions } from '../errors.ts';

export type IdentityErrorCode =
	| 'invalid_request'
	| 'unauthenticated'
	| 'forbidden'
	| 'not_found'
	| 'conflict'
	| 'unavailable'
	| 'rate_limited'
	| 'link_invalid'
	| 'link_expired'
	| 'not_configured'
	| 'sign_in_failed'
	| 'domain_not_allowed'
	| 'email_unverified'
	| 'provider_unavailable';

export class IdentityError extends AppError {
	declare readonly code: IdentityErrorCode;
	constructor(code: IdentityErrorCode, message: string, options?: AppErrorOptions) {
		super(code, message, options);
		this.name = 'IdentityError';
	}
}
