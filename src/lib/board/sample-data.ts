/**
 * Data for the sample mission board: real UK departments, fictional people and
 * plausible cross-department work. Dates are offsets in days from "today".
 */
import type { Person } from '../protocol/record-fields.ts';
import type { DependencyStatus, BlockerStatus, Severity, EscalationLevel } from '../protocol/registers.ts';
import type { RatingLevel } from '../protocol/ratings.ts';

export type SampleDepartment = { id: string; name: string; code: string; colour: string };

/** Ministerial departments with their usual short codes; colours are distinct and pass 4.5:1 against white. */
export const sampleDepartments: readonly SampleDepartment[] = [
	{ id: 'dept-hmt', name: 'HM Treasury', code: 'HMT', colour: '#af292e' },
	{ id: 'dept-dfe', name: 'Department for Education', code: 'DfE', colour: '#003a69' },
	{ id: 'dept-ho', name: 'Home Office', code: 'HO', colour: '#9325b2' },
	{ id: 'dept-dhsc', name: 'Department of Health and Social Care', code: 'DHSC', colour: '#00703c' },
	{ id: 'dept-mhclg', name: 'Ministry of Housing, Communities and Local Government', code: 'MHCLG', colour: '#005e63' },
	{ id: 'dept-dft', name: 'Department for Transport', code: 'DfT', colour: '#6b4d00' },
	{ id: 'dept-desnz', name: 'Department for Energy Security and Net Zero', code: 'DESNZ', colour: '#a34100' },
	{ id: 'dept-dsit', name: 'Department for Science, Innovation and Technology', code: 'DSIT', colour: '#4c2c92' },
	{ id: 'dept-co', name: 'Cabinet Office', code: 'CO', colour: '#005abb' },
	{ id: 'dept-dwp', name: 'Department for Work and Pensions', code: 'DWP', colour: '#8f1d53' },
	{ id: 'dept-moj', name: 'Ministry of Justice', code: 'MoJ', colour: '#231f20' }
];

const names = [
	'Priya Shah', 'Tom Hughes', 'Aisha Bello', 'Gareth Evans', 'Fiona MacLeod', 'Sam Okafor',
	'Hannah Reid', 'Dev Patel', 'Olivia Brennan', 'Marcus Lee', 'Niamh Doyle', 'Ravi Kumar'
] as const;

/** People of the sample board, one lead per department (index = department index). */
export const samplePeople: readonly Person[] = names.map((name, i) => ({ name, id: `sample-person-${i + 1}` }));

export type SampleDependency = {
	provider: number; receiver: number; title: string; deliverable: string; doneCriteria: string;
	neededBy: number; committed: number | null; forecast: number | null; status: DependencyStatus;
	rating: RatingLevel | null; narrative: string; impact: string; staleDays: number;
};

const dep = (
	provider: number, receiver: number, title: string, deliverable: string, doneCriteria: string,
	[neededBy, committed, forecast]: [number, number | null, number | null],
	status: DependencyStatus, rating: RatingLevel | null, narrative: string, impact: string, staleDays = 0
): SampleDependency => ({
	provider, receiver, title, deliverable, doneCriteria, neededBy, committed, forecast, status, rating, narrative, impact, staleDays
});

export const sampleDependencies: readonly SampleDependency[] = [
	dep(0, 4, 'Housing capital settlement', 'Confirmed capital allocation for the affordable homes programme, by region', 'Settlement letter signed by the Chief Secretary', [20, 25, 30], 'at_risk', 'amber', 'Spending Review timetable has slipped a week', 'Delays the autumn homes delivery milestone'),
	dep(1, 9, 'Childcare eligibility data share', 'Signed data-sharing agreement for childcare eligibility checks', 'Agreement signed by both SIROs and first test file exchanged', [-5, -10, 12], 'late', 'red', 'Legal review found a gap in the lawful basis', 'Expansion of funded childcare in September cannot verify eligibility'),
	dep(2, 10, 'Neighbourhood officer numbers', 'Quarterly neighbourhood policing officer numbers by force', 'Published figures agreed by both analytical teams', [40, 35, 35], 'agreed', 'green', 'On track; first return received', 'Safer streets mission baseline'),
	dep(3, 9, 'WorkWell pilot findings', 'Interim evaluation findings of the WorkWell pilots', 'Report cleared by DHSC and DWP analysts', [30, 30, 34], 'agreed', 'amber', 'Fieldwork two weeks behind in two areas', 'Economic inactivity business case'),
	dep(6, 4, 'Warm Homes grant rules', 'Eligibility rules for the Warm Homes local grant', 'Rules published on GOV.UK', [60, null, null], 'proposed', null, '', 'Retrofit targets for social housing', 20),
	dep(5, 6, 'Charge-point grid forecast', 'Forecast of grid connections needed for public charge points to 2030', 'Forecast accepted by DESNZ network team', [10, 45, 45], 'disputed', 'red', 'DfT and DESNZ disagree on the demand model', 'Clean power 2030 network plan'),
	dep(7, 8, 'Digital identity standard', 'Digital identity trust framework standard for One Login', 'Standard adopted by the One Login programme board', [-20, -25, -25], 'delivered', 'green', 'Delivered early', 'Opportunity mission digital services'),
	dep(8, 0, 'Delivery data return template', 'Common template for monthly mission delivery data', 'Template used by all departments for one month', [15, 15, 15], 'agreed', 'green', 'Template in testing with three departments', 'Missions Board dashboard'),
	dep(10, 2, 'Prison capacity projections', 'Prison capacity projections to 2027 under the new sentencing framework', 'Projections signed off by the MoJ chief analyst', [5, 20, 25], 'at_risk', 'red', 'Modelling depends on the sentencing review', 'Charging and remand decisions for the safer streets mission'),
	dep(4, 5, 'Local plan housing trajectories', 'Housing trajectories from adopted local plans, for transport modelling', 'Dataset loaded into the DfT model', [-12, -12, 9], 'late', 'red', 'Three local authorities have not returned data', 'Transport investment appraisal for new towns', 18),
	dep(9, 1, 'Free school meals auto-enrolment data', 'Universal Credit data feed for free school meals auto-enrolment', 'First monthly feed received and matched', [50, 48, 55], 'agreed', 'amber', 'Matching rate below target in the pilot', 'Child poverty strategy'),
	dep(0, 7, 'Compute expansion business case', 'Treasury approval of the AI compute expansion business case', 'Approval letter received', [25, null, null], 'cancelled', null, 'Superseded by the industrial strategy allocation', 'Growth mission: AI opportunities')
];

export type SampleBlocker = {
	title: string; owner: number; departments: number[]; unblocker: string; ask: string; severity: Severity;
	raisedOn: number; target: number | null; status: BlockerStatus; blocks: number[];
	escalations: { level: EscalationLevel; on: number; forum: string }[];
};

export const sampleBlockers: readonly SampleBlocker[] = [
	{ title: 'No lawful basis for childcare data share', owner: 1, departments: [1, 9], unblocker: 'DWP Data Protection Officer', ask: 'Confirm the lawful basis under the Digital Economy Act', severity: 'critical', raisedOn: -21, target: -3, status: 'escalated', blocks: [1], escalations: [{ level: 'owner_to_owner', on: -18, forum: 'Owner call' }, { level: 'department_programme_board', on: -10, forum: 'DfE childcare programme board' }, { level: 'missions_unit_lead', on: -4, forum: 'Missions Unit weekly' }] },
	{ title: 'Grid demand model disagreement', owner: 5, departments: [5, 6], unblocker: 'Joint analytical panel', ask: 'Agree one demand scenario for the 2030 forecast', severity: 'high', raisedOn: -14, target: 7, status: 'escalated', blocks: [5], escalations: [{ level: 'owner_to_owner', on: -12, forum: 'Analyst workshop' }, { level: 'department_programme_board', on: -5, forum: 'DESNZ networks board' }] },
	{ title: 'Local authority data returns missing', owner: 4, departments: [4], unblocker: 'Local Government Association', ask: 'Chase three authorities for their trajectories', severity: 'medium', raisedOn: -30, target: -7, status: 'in_progress', blocks: [9], escalations: [] },
	{ title: 'Sentencing review timing', owner: 10, departments: [10, 2], unblocker: 'Lord Chancellor', ask: 'Confirm whether interim sentencing assumptions can be used', severity: 'high', raisedOn: -9, target: 14, status: 'escalated', blocks: [8], escalations: [{ level: 'ministers', on: -2, forum: 'Justice ministers meeting' }] },
	{ title: 'Spending Review timetable slip', owner: 0, departments: [0, 4], unblocker: 'Chief Secretary to the Treasury', ask: 'Confirm the settlement date for housing capital', severity: 'medium', raisedOn: -6, target: 10, status: 'open', blocks: [0], escalations: [] },
	{ title: 'WorkWell fieldwork staffing', owner: 3, departments: [3], unblocker: 'DHSC analysis director', ask: 'Release two researchers for four weeks', severity: 'low', raisedOn: -12, target: 3, status: 'open', blocks: [3], escalations: [] },
	{ title: 'Pilot matching rate below target', owner: 9, departments: [9, 1], unblocker: 'DWP data science lead', ask: 'Add a secondary matching rule', severity: 'medium', raisedOn: -4, target: 20, status: 'in_progress', blocks: [10], escalations: [] },
	{ title: 'Procurement freeze on survey contracts', owner: 8, departments: [8], unblocker: 'Cabinet Office commercial', ask: 'Grant an exemption for the delivery data survey', severity: 'medium', raisedOn: -40, target: -20, status: 'resolved', blocks: [7], escalations: [] },
	{ title: 'Officer data definitions differ by force', owner: 2, departments: [2], unblocker: 'National Police Chiefs’ Council', ask: 'Adopt the Home Office definition for neighbourhood roles', severity: 'low', raisedOn: -3, target: 30, status: 'open', blocks: [2], escalations: [] },
	{ title: 'Funding gap for retrofit pilot', owner: 6, departments: [6, 0], unblocker: 'Missions Board', ask: 'Decide whether to reprofile the retrofit budget', severity: 'critical', raisedOn: -35, target: -1, status: 'escalated', blocks: [4], escalations: [{ level: 'owner_to_owner', on: -30, forum: 'Owner call' }, { level: 'department_programme_board', on: -22, forum: 'DESNZ programme board' }, { level: 'missions_unit_lead', on: -15, forum: 'Missions Unit weekly' }, { level: 'ministers', on: -8, forum: 'Ministerial bilateral' }, { level: 'missions_board', on: -1, forum: 'Missions Board' }] },
	{ title: 'Security clearance backlog', owner: 7, departments: [7], unblocker: 'United Kingdom Security Vetting', ask: 'Prioritise five clearances for the compute team', severity: 'high', raisedOn: -16, target: -2, status: 'open', blocks: [], escalations: [] },
	{ title: 'Ministerial sign-off for data template', owner: 8, departments: [8, 0], unblocker: 'Minister for the Cabinet Office', ask: 'Approve the template before the next stocktake', severity: 'low', raisedOn: -1, target: 6, status: 'open', blocks: [7], escalations: [] }
];

/** `replans`: the earlier due dates, original first; `due` is the current one. */
export type SampleAction = { text: string; owner: number; department: number; due: number; replans: number[]; status: 'open' | 'done' | 'dropped'; meeting: 0 | 1 };

export const sampleMeetings = [
	{ id: 'sample-meeting-board', title: 'Missions Board', offset: -7 },
	{ id: 'sample-meeting-stocktake', title: 'Safer streets stocktake', offset: -14 }
] as const;

export const sampleActions: readonly SampleAction[] = [
	{ text: 'Send the revised lawful-basis note to the DWP Data Protection Officer', owner: 1, department: 1, due: -2, replans: [], status: 'open', meeting: 0 },
	{ text: 'Agree a single grid demand scenario with DESNZ analysts', owner: 5, department: 5, due: 5, replans: [-3, 1], status: 'open', meeting: 0 },
	{ text: 'Chase the three missing local authority returns', owner: 4, department: 4, due: -4, replans: [-8], status: 'open', meeting: 1 },
	{ text: 'Brief the Lord Chancellor on interim sentencing assumptions', owner: 10, department: 10, due: 3, replans: [], status: 'open', meeting: 1 },
	{ text: 'Confirm the Spending Review settlement date in writing', owner: 0, department: 0, due: -1, replans: [], status: 'open', meeting: 0 },
	{ text: 'Publish the delivery data template on the shared workspace', owner: 8, department: 8, due: -3, replans: [], status: 'done', meeting: 0 },
	{ text: 'Circulate the WorkWell interim findings to the programme board', owner: 3, department: 3, due: 12, replans: [], status: 'open', meeting: 0 },
	{ text: 'Draft the retrofit budget reprofiling options for the Missions Board', owner: 6, department: 6, due: -6, replans: [-12, -9], status: 'open', meeting: 0 },
	{ text: 'Write to police forces on neighbourhood role definitions', owner: 2, department: 2, due: 9, replans: [], status: 'open', meeting: 1 },
	{ text: 'Test the secondary matching rule on the pilot cohort', owner: 9, department: 9, due: 7, replans: [], status: 'open', meeting: 0 },
	{ text: 'Request five priority security clearances', owner: 7, department: 7, due: -9, replans: [], status: 'dropped', meeting: 0 },
	{ text: 'Schedule the next dependency review with all liaisons', owner: 11, department: 8, due: 1, replans: [], status: 'open', meeting: 0 }
];

export type SampleDecision = { text: string; rationale: string; forum: 0 | 1; makers: number[]; actions: number[]; departments: number[] };

export const sampleDecisions: readonly SampleDecision[] = [
	{ text: 'Escalate the childcare data share to ministers if the lawful basis is not confirmed within two weeks', rationale: 'September go-live depends on it', forum: 0, makers: [11, 1], actions: [0], departments: [1, 9] },
	{ text: 'Use the DESNZ central demand scenario for all 2030 grid planning', rationale: 'One scenario avoids two competing forecasts', forum: 0, makers: [11, 6], actions: [1], departments: [5, 6] },
	{ text: 'Accept interim housing trajectories from authorities that have not adopted a plan', rationale: 'Transport modelling cannot wait for plan adoption', forum: 1, makers: [4], actions: [2], departments: [4, 5] },
	{ text: 'Model prison capacity on current sentencing until the review reports', rationale: 'Avoids blocking charging decisions', forum: 1, makers: [10, 2], actions: [3], departments: [10, 2] },
	{ text: 'Adopt the common delivery data template for all missions from next month', rationale: 'Comparable data across missions', forum: 0, makers: [11, 8], actions: [5], departments: [8] },
	{ text: 'Pause the compute expansion business case', rationale: 'Funding now comes through the industrial strategy', forum: 0, makers: [0, 7], actions: [], departments: [0, 7] },
	{ text: 'Reprofile up to 10% of the retrofit budget into next year', rationale: 'Supply chain cannot absorb this year’s spend', forum: 0, makers: [11, 0, 6], actions: [7], departments: [6, 0] },
	{ text: 'Adopt the Home Office definition of neighbourhood policing roles', rationale: 'Forces count roles differently today', forum: 1, makers: [2], actions: [8], departments: [2] },
	{ text: 'Extend the WorkWell evaluation by four weeks', rationale: 'Fieldwork delays in two areas', forum: 0, makers: [3, 9], actions: [6], departments: [3, 9] },
	{ text: 'Add a secondary matching rule to free school meals auto-enrolment', rationale: 'Pilot matching rate is below target', forum: 0, makers: [9, 1], actions: [9], departments: [9, 1] },
	{ text: 'Hold a monthly dependency review with all department liaisons', rationale: 'Too many dependencies were found late at stocktakes', forum: 0, makers: [11], actions: [11], departments: [8] }
];

/** The twelfth decision corrects the first of these (index) with this text. */
export const sampleCorrection = {
	of: 3,
	text: 'Model prison capacity on current sentencing plus the announced early-release changes until the review reports',
	rationale: 'The early-release changes are already law'
} as const;

/** RAID risks of the sample board (day offsets from today; departments and owners by index). */
export const sampleRisks = [
	{ title: 'Not enough probation officers to supervise early releases', cause: 'Recruitment is behind plan in three regions', event: 'Caseloads pass the safe limit', effect: 'Supervision lapses and reoffending rises', likelihood: 'high', impact: 'very_high', proximity: 30, owner: 2, department: 2, status: 'mitigating', mitigations: 'Agency staff in the three regions; a caseload cap agreed with unions' },
	{ title: 'Court data feed changes format without notice', cause: 'The supplier is replacing its platform', event: 'The weekly extract stops loading', effect: 'Backlog figures for the Board are a week late', likelihood: 'medium', impact: 'medium', proximity: 60, owner: 3, department: 3, status: 'open', mitigations: '' },
	{ title: 'Capital funding for new places lands after the build season', cause: 'Spending review timing', event: 'Contracts cannot be signed before March', effect: 'Places open a year later', likelihood: 'medium', impact: 'high', proximity: -5, owner: 1, department: 1, status: 'open', mitigations: 'Ask HM Treasury for an early allocation letter' },
	{ title: 'Local authority partners withdraw from the pilot', cause: 'Budget pressure', event: 'Two of five pilot areas leave', effect: 'The evaluation loses its comparison group', likelihood: 'low', impact: 'medium', proximity: null, owner: 4, department: 0, status: 'accepted', mitigations: 'Evaluation redesigned to work with three areas' }
] as const;

/** RAID assumptions of the sample board. */
export const sampleAssumptions = [
	{ title: 'Early-release volumes match the impact assessment', statement: 'Releases in the first year stay within 10% of the published impact assessment', validationDate: 20, owner: 2, department: 2, status: 'unvalidated' },
	{ title: 'Schools share attendance data weekly', statement: 'Every pilot school can send weekly attendance through the existing data collection', validationDate: -10, owner: 1, department: 1, status: 'unvalidated' },
	{ title: 'Housing benefit rules stay as they are this year', statement: 'No change to the local housing allowance before April', validationDate: -40, owner: 0, department: 0, status: 'validated' }
] as const;
