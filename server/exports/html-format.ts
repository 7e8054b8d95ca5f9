/**
 * Registers as accessible HTML tables: a caption naming the register and its row count, column
 * headers (`scope="col"`), each row headed by its ref (`scope="row"`), dates in `<time>`, and a
 * rating always as its word beside a shape, never colour alone.
 */
import type { CellValue, ExportTable } from '#lib/export/export-columns.ts';
import { escapeHtml } from './html-document.ts';

const count = new Intl.NumberFormat('en-GB');
const ratingWords: Record<string, string> = { Green: 'green', 'Amber/Green': 'amber-green', Amber: 'amber', 'Amber/Red': 'amber-red', Red: 'red' };

function cellHtml(value: CellValue, kind: ExportTable['columns'][number]['kind'], header: string): string {
	if (value === null || value === '') return '<td></td>';
	switch (kind) {
		case 'number':
			return `<td class="num">${escapeHtml(String(value))}</td>`;
		case 'date':
			return `<td><time datetime="${escapeHtml(String(value))}">${escapeHtml(String(value))}</time></td>`;
		case 'datetime': {
			const iso = new Date(Number(value)).toISOString();
			return `<td><time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time></td>`;
		}
		case 'text': {
			const text = String(value);
			const rating = header === 'Confidence' ? ratingWords[text] : undefined;
			if (rating) return `<td><span class="rating rating-${rating}">${escapeHtml(text)}</span></td>`;
			return `<td${text.includes('\n') ? ' class="pre"' : ''}>${escapeHtml(text)}</td>`;
		}
	}
}

export function tableHtml(table: Pick<ExportTable, 'title' | 'columns' | 'rows'>, caption = table.title): string {
	const head = table.columns.map((column) => `<th scope="col">${escapeHtml(column.header)}</th>`).join('');
	const refColumn = table.columns.findIndex((column) => column.header === 'Ref');
	const rows = table.rows.map((row) =>
		row
			.map((value, i) => (i === refColumn ? `<th scope="row">${escapeHtml(String(value ?? ''))}</th>` : cellHtml(value, table.columns[i]!.kind, table.columns[i]!.header)))
			.join('')
	);
	const noun = table.rows.length === 1 ? 'record' : 'records';
	if (table.rows.length === 0) return `<section><h2>${escapeHtml(caption)}</h2><p class="empty">No ${escapeHtml(caption.toLowerCase())} match.</p></section>`;
	return `<section><h2>${escapeHtml(caption)}</h2><div class="table-wrap"><table><caption>${escapeHtml(caption)}: ${count.format(table.rows.length)} ${noun}</caption><thead><tr>${head}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('\n')}</tbody></table></div></section>`;
}
