/**
 * Writes docs/examples/raid-log.xlsx, a small RAID log as teams keep them: one sheet each for
 * risks, assumptions, issues and dependencies, a read-me sheet, dates written three ways, a
 * formula column (a score), a merged department cell. It imports cleanly into a board once the
 * sample mission's departments exist (they are named by code). `node docs/examples/make-raid-log.ts`
 */
import ExcelJS from 'exceljs';
import { fileURLToPath } from 'node:url';

export async function raidLogWorkbook(): Promise<ExcelJS.Workbook> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Mission Control example';
	const readme = workbook.addWorksheet('Read me');
	readme.addRow(['A RAID log for the childcare expansion programme. Import it on a board: Risks, Assumptions, Issues and Dependencies are mapped by their headers.']);

	const risks = workbook.addWorksheet('Risks');
	risks.addRow(['ID', 'Title', 'Cause', 'Event', 'Effect', 'Likelihood', 'Impact', 'Score', 'Proximity', 'Owner', 'Mitigations', 'Status', 'Department']);
	risks.addRow(['R-001', 'Not enough early-years staff', 'Low pay in the sector', 'Providers cannot recruit for new places', 'Places are funded but not delivered', 'High', 'Very high', null, new Date(Date.UTC(2026, 8, 1)), 'Priya Shah', 'Recruitment campaign; pay review with HMT', 'Mitigating', 'DfE']);
	risks.addRow(['R-002', 'Capital funding arrives late', 'Spending Review timing', 'Capital allocations slip a quarter', 'Building works miss the school year', 'Medium', 'High', null, '01/11/2026', 'Tom Hughes', 'Agree an advance with HMT', 'Open', 'HMT']);
	risks.addRow(['R-003', 'Eligibility checker fails at peak', 'New system, untested load', 'Parents cannot get codes in August', 'Take-up falls and complaints rise', 'Low', 'High', null, '15 Aug 2026', 'Marcus Lee', 'Load test in June; manual fallback', 'Open', 'DWP']);
	for (let row = 2; row <= 4; row++) risks.getCell(`H${row}`).value = { formula: `MATCH(F${row},{"Very low","Low","Medium","High","Very high"},0)*MATCH(G${row},{"Very low","Low","Medium","High","Very high"},0)`, result: [20, 12, 8][row - 2] };
	risks.getColumn(9).numFmt = 'yyyy-mm-dd';

	const assumptions = workbook.addWorksheet('Assumptions');
	assumptions.addRow(['ID', 'Assumption', 'Owner', 'Validation date', 'Status']);
	assumptions.addRow(['A-001', 'Local authorities can hold sufficiency data monthly', 'Fiona MacLeod', '2026-06-30', 'Not yet validated']);
	assumptions.addRow(['A-002', 'Take-up follows the 2024 pilot curve', 'Priya Shah', new Date(Date.UTC(2026, 4, 1)), 'Validated']);

	const issues = workbook.addWorksheet('Issues');
	issues.addRow(['ID', 'Title', 'Owner', 'Unblocker', 'Ask', 'Severity', 'Raised on', 'Target resolution', 'Status', 'Department']);
	issues.addRow(['I-001', 'No legal gateway for the data share', 'Tom Hughes', 'DWP legal director', 'Agree the gateway wording by the end of the month', 'High', '03/02/2026', '28 Feb 2026', 'In progress', 'DWP']);
	issues.addRow(['I-002', 'Provider survey delayed', 'Priya Shah', 'DfE analysis lead', 'Release the survey fieldwork budget', 'Medium', new Date(Date.UTC(2026, 1, 10)), null, 'Open', null]);
	// The department cell of I-001 spans both rows: the second row reads it too.
	issues.mergeCells('J2:J3');

	const dependencies = workbook.addWorksheet('Dependencies');
	dependencies.addRow(['ID', 'Title', 'Provider department', 'Provider owner', 'Receiver department', 'Receiver owner', 'Deliverable', 'Needed by', 'Forecast', 'Confidence', 'Status']);
	dependencies.addRow(['D-001', 'Eligibility data share', 'DWP', 'Marcus Lee', 'DfE', 'Priya Shah', 'Monthly eligibility extract', '2026-07-01', '2026-07-20', 'Amber/Red', 'At risk']);
	dependencies.addRow(['D-002', 'Capital allocations by area', 'HMT', 'Tom Hughes', 'DfE', 'Priya Shah', 'Allocation table by local authority', '1 Sep 2026', '01/09/2026', 'Green', 'Agreed']);
	return workbook;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const workbook = await raidLogWorkbook();
	await workbook.xlsx.writeFile(fileURLToPath(new URL('./raid-log.xlsx', import.meta.url)));
	console.log('wrote docs/examples/raid-log.xlsx');
}
