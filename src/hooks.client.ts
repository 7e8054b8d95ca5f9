import { z } from 'zod';

/**
 * Zod compiles fast parsers with `new Function` when it may; our content-security policy forbids
 * eval, and Chromium reports even zod's guarded probe as a violation. Parse without it.
 */
z.config({ jitless: true });
