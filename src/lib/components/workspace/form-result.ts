/** What the workspace form actions answer (success and `fail(…)` alike); every field is safe to show. */
export interface FormResult {
	form: string;
	ok: boolean;
	message: string;
	/** The mission, board or department the form was about. */
	target?: string;
	/** Field name → problem, for `aria-describedby`. */
	fields?: Record<string, string>;
	/** What was typed, so the person does not lose it. */
	values?: Record<string, string>;
}

/** The page's `form` prop, narrowed to one form (and one item, when given). */
export function resultFor(form: FormResult | null | undefined, name: string, target?: string): FormResult | undefined {
	if (!form || form.form !== name) return undefined;
	if (target !== undefined && form.target !== target) return undefined;
	return form;
}

/** `depends()` key of page data that follows the workspace (see collab/workspace-live.svelte.ts). */
export const workspaceDependency = 'app:workspace';
