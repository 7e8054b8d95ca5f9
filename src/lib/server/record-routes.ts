/**
 * The record action endpoints' shared reading of a request: the board, the register and the
 * record named in the path, and the caller. Every write then goes through
 * `workspace.writeRecords` (the write check) and the board model (validation, attribution).
 */
import { z } from 'zod';
import { registerName, type RegisterName } from '#lib/protocol/records.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import type { Principal } from '#lib/server/backend.ts';
import { readId, requirePrincipal, type ApiEvent } from './api-errors.ts';

/** A short ref (`DEP-12`, also one the record held before) or a record id. */
export const refOrId = z.string().min(1).max(64);

export interface RecordTarget<R extends RegisterName = RegisterName> {
	principal: Principal;
	boardId: string;
	register: R;
	ref: string;
}

export function recordTarget(event: ApiEvent): RecordTarget;
export function recordTarget<R extends RegisterName>(event: ApiEvent, register: R): RecordTarget<R>;
export function recordTarget(event: ApiEvent, register?: RegisterName): RecordTarget {
	const principal = requirePrincipal(event.locals);
	return {
		principal,
		boardId: readId(event.params.id, entityId, 'board'),
		register: register ?? readId(event.params.register, registerName, 'register'),
		ref: readId(event.params.ref, refOrId, 'record')
	};
}
