/**
 * The meeting pack as a tagged PDF (PDF/UA-style structure: Document → H1, H2, P, Table → TR →
 * TH/TD), with real text in the standard Helvetica fonts, written by PDFKit. PDFKit was chosen
 * because it writes tagged PDFs in plain Node: printing the HTML with a browser would need
 * Chromium on the production server, which the deployment does not have.
 */
import type { CellValue, ExportTable } from '#lib/export/export-columns.ts';
import type { MeetingPack } from './meeting-pack.ts';

const page = { size: 'A4', layout: 'landscape', margin: 36 } as const;

function cellText(value: CellValue, kind: ExportTable['columns'][number]['kind']): string {
	if (value === null) return '';
	if (kind === 'datetime') return new Date(Number(value)).toISOString().slice(0, 16).replace('T', ' ');
	return String(value);
}

export async function toPdf(pack: MeetingPack): Promise<Buffer> {
	// Loaded on first use: PDFKit and its fonts are megabytes the process need not hold at rest.
	const { default: PDFDocument } = await import('pdfkit');
	const doc = new PDFDocument({
		...page,
		pdfVersion: '1.7',
		tagged: true,
		lang: 'en-GB',
		displayTitle: true,
		info: { Title: pack.title, Subject: `Meeting pack (${pack.kind})`, Creator: 'Mission Control' },
		bufferPages: false
	});
	const chunks: Buffer[] = [];
	doc.on('data', (chunk: Buffer) => chunks.push(chunk));
	const done = new Promise<Buffer>((resolve, reject) => {
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
	});
	const root = doc.struct('Document');
	doc.addStructure(root);
	const block = (type: string, draw: () => void) => root.add(doc.struct(type, {}, draw));

	block('H1', () => doc.font('Helvetica-Bold').fontSize(20).text(pack.title));
	block('P', () => doc.font('Helvetica').fontSize(10).text(pack.meta.map(([label, value]) => `${label}: ${value}`).join('  ·  ')));
	for (const section of pack.sections) {
		doc.moveDown(0.8);
		block('H2', () => doc.font('Helvetica-Bold').fontSize(14).text(`${section.heading} (${section.table.rows.length})`));
		block('P', () => doc.font('Helvetica').fontSize(9).text(section.intro));
		if (section.table.rows.length === 0) {
			block('P', () => doc.font('Helvetica-Oblique').fontSize(9).text('None.'));
			continue;
		}
		doc.moveDown(0.3);
		const widths = section.table.columns.map((column) => Math.min(column.width, 40));
		doc.font('Helvetica').fontSize(8);
		// @types/pdfkit does not know PDFKit 0.20's accessible tables (structParent → Table/TR/TH/TD).
		const table = {
			structParent: root,
			columnStyles: widths.map((width) => ({ width: `*` as const, minWidth: width * 2.2 })),
			data: [
				section.table.columns.map((column) => ({ text: column.header, type: 'TH' as const, scope: 'Column' as const, font: { src: 'Helvetica-Bold' } })),
				...section.table.rows.map((row) => row.map((value, i) => ({ text: cellText(value, section.table.columns[i]!.kind), type: 'TD' as const })))
			]
		};
		doc.table(table as unknown as Parameters<typeof doc.table>[0]);
	}
	root.end();
	doc.end();
	return done;
}
