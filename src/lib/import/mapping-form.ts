/**
 * The import page's mapping editor as plain form fields, so it works before JavaScript loads:
 * `sheet.<i>` names the sheet, `sheet.<i>.register`, `sheet.<i>.key` and `sheet.<i>.<field>`
 * (the column header, or empty for "not imported").
 */
import { importMapping, type ImportMapping } from '../protocol/raid-import.ts';
import { registerName } from '../protocol/registers.ts';

export function mappingFromForm(form: FormData): ImportMapping | undefined {
	const sheets: ImportMapping['sheets'] = {};
	for (const [name, value] of form.entries()) {
		const match = /^sheet\.(\d+)$/.exec(name);
		if (!match || typeof value !== 'string') continue;
		const prefix = `sheet.${match[1]}.`;
		const register = registerName.safeParse(form.get(`${prefix}register`));
		const key = String(form.get(`${prefix}key`) ?? '');
		const columns: Record<string, string> = {};
		for (const [field, header] of form.entries()) {
			if (!field.startsWith(prefix) || typeof header !== 'string' || !header) continue;
			const rest = field.slice(prefix.length);
			if (rest !== 'register' && rest !== 'key') columns[rest] = header;
		}
		sheets[value] = register.success ? { register: register.data, key: key || null, columns } : { register: null, key: null, columns: {} };
	}
	if (Object.keys(sheets).length === 0) return undefined;
	const parsed = importMapping.safeParse({ sheets });
	return parsed.success ? parsed.data : undefined;
}
