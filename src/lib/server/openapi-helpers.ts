/**
 * Types and helpers of the OpenAPI tables (`openapi-*.ts`): an area lists its operations and the
 * zod schemas they use; `openapi.ts` turns every table into one OpenAPI 3.1 document.
 */
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A named schema, generated once into `components.schemas`: request bodies as input, answers as output. */
export type NamedSchema = { schema: z.ZodType; io: 'input' | 'output' };

export interface QueryParameter {
	name: string;
	description: string;
	schema: JsonSchema;
	required?: boolean;
}

export interface ApiOperation {
	method: Method;
	/** OpenAPI path, `{param}` style. */
	path: string;
	summary: string;
	tag: string;
	/** Name of a component schema for the JSON body. */
	body?: string;
	response?: { status: number; schema?: JsonSchema; description?: string; /** Non-JSON answers (exports, packs): media type → schema. */ media?: Record<string, JsonSchema> };
	/** A non-JSON body (an upload): media type → schema. */
	bodyMedia?: Record<string, JsonSchema>;
	query?: QueryParameter[];
	/** Error statuses besides 401 (every operation needs a credential unless `public`). */
	errors: number[];
	public?: boolean;
	/** The board-model function (`src/lib/board/board-doc.ts`) the endpoint performs, as `x-board-action`: the page's action it stands for. */
	boardAction?: string;
}

/** One area's part of the API. */
export interface ApiSpec {
	tags: string[];
	schemas: Record<string, NamedSchema>;
	operations: ApiOperation[];
}

export const apiIssue = z.object({ path: z.string(), message: z.string() });
export const apiErrorBody = z.object({
	error: z.object({
		code: z.string().describe('invalid_request, unauthenticated, forbidden, not_found, conflict, payload_too_large, unavailable, internal, or a more specific code of the area'),
		message: z.string(),
		issues: z.array(apiIssue).optional()
	})
});

export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
	const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
	return rest;
}

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const listOf = (key: string, name: string): JsonSchema => ({ type: 'object', properties: { [key]: { type: 'array', items: ref(name) } }, required: [key] });
export const objectOf = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', properties, required: Object.keys(properties) });
export const issueSchema = (): JsonSchema => toJsonSchema(apiIssue, 'output');
