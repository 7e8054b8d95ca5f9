import type { Principal } from '#lib/server/backend.ts';

declare global {
	namespace App {
		interface Error {
			code?: string;
		}
		interface Locals {
			principal: Principal | undefined;
			/** Hash of the session cookie, when signed in by cookie. */
			sessionId: string | undefined;
		}
	}
}

export {};
