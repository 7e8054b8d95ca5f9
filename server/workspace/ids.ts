import { randomBytes } from 'node:crypto';

/** A random url-safe id for missions, boards and departments: 12 base64url characters (72 bits). */
export function newEntityId(): string {
	return randomBytes(9).toString('base64url');
}
