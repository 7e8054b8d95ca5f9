/**
 * The addresses and cookie of single sign-on, without the client library, so routes can import them.
 */
export const oidcFlowCookieName = 'mc_oidc';

export const oidcDefaults = {
	flowValidForMs: 10 * 60_000,
	/** Discovery, token and key requests to a provider give up after this long. */
	requestTimeoutSeconds: 10
} as const;

/** `GET` starts the flow with one provider (the single provider's id is `default`). */
export function oidcStartPath(providerId: string): string {
	return `/login/oidc/${providerId}`;
}

/** Where the provider sends the browser back: register it at the provider as the redirect URI. */
export function oidcCallbackPath(providerId: string): string {
	return `/login/oidc/${providerId}/callback`;
}
