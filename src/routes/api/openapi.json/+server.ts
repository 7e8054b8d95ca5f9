import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { openApiDocument } from '#lib/server/openapi.ts';

/** The OpenAPI 3.1 description of this API, generated from the zod schemas the routes use. */
export const GET = apiHandler(async () => ok(openApiDocument(backend().version)));
