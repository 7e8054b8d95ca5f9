/** The cookie that holds, during single sign-on, the local page to land on afterwards (`?next=`). */
export const oidcNextCookie = 'mc_oidc_next';
