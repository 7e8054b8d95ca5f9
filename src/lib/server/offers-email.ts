import { backend, type Principal } from './backend.ts';

/**
 * Whether to offer a person a link to `/me/email`: they joined by an invite without an address, and
 * this server can send the link that confirms one (without mail, there is nothing to offer).
 */
export async function offersEmail(principal: Principal): Promise<boolean> {
	if (principal.kind !== 'person' || !backend().identity.emailLinks) return false;
	const person = await backend().access.people.get(principal.id.replace(/^person:/, ''));
	return person !== undefined && !person.email;
}
