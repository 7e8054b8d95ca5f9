/**
 * What a RAID import can fill in each register: our field, how its cell is read, and the column
 * headers that usually hold it (for the suggested mapping). Pure: shared by the server and the
 * import page.
 */
import type { RegisterName } from '../protocol/registers.ts';

export type FieldKind = 'text' | 'date' | 'person' | 'people' | 'department' | 'departments' | 'status' | 'rating' | 'severity' | 'riskLevel' | 'escalation';

export interface ImportField {
	field: string;
	label: string;
	kind: FieldKind;
	/** Normalised headers (lower case, letters and digits only) that suggest this field. */
	aliases: readonly string[];
}

const f = (field: string, label: string, kind: FieldKind, ...aliases: string[]): ImportField => ({ field, label, kind, aliases: [field.toLowerCase(), label.toLowerCase().replace(/[^a-z0-9]/g, ''), ...aliases] });

const common = {
	title: f('title', 'Title', 'text', 'name', 'summary', 'headline'),
	owner: f('owner', 'Owner', 'person', 'ownedby', 'responsible', 'lead', 'accountable'),
	departments: f('departments', 'Departments', 'departments', 'department', 'depts', 'dept', 'organisation', 'organisations'),
	description: f('description', 'Notes', 'text', 'notes', 'comments', 'detail', 'details', 'context'),
	status: f('status', 'Status', 'status', 'state', 'ragstatus')
};

export const importFields: Record<RegisterName, readonly ImportField[]> = {
	dependencies: [
		common.title,
		f('providerDepartment', 'Provider department', 'department', 'provider', 'from', 'fromdepartment', 'givingdepartment'),
		f('providerOwner', 'Provider owner', 'person', 'providerlead'),
		f('receiverDepartment', 'Receiver department', 'department', 'receiver', 'to', 'todepartment', 'receivingdepartment'),
		f('receiverOwner', 'Receiver owner', 'person', 'receiverlead'),
		f('deliverable', 'Deliverable', 'text', 'what', 'dependency', 'dependencydescription'),
		f('doneCriteria', 'Done criteria', 'text', 'acceptancecriteria', 'criteria', 'definitionofdone'),
		f('neededBy', 'Needed by', 'date', 'needby', 'requiredby', 'neededdate', 'requireddate'),
		f('committed', 'Committed', 'date', 'committeddate', 'promiseddate'),
		f('forecast', 'Forecast', 'date', 'forecastdate', 'expecteddate'),
		f('rating', 'Confidence', 'rating', 'rag', 'rating', 'confidencerating', 'deliveryconfidence'),
		f('narrative', 'Narrative', 'text', 'commentary', 'ragcommentary', 'confidencenarrative'),
		f('impact', 'Impact if missed', 'text', 'impact', 'impactifmissed'),
		common.status,
		common.owner,
		common.departments,
		common.description
	],
	blockers: [
		common.title,
		common.owner,
		f('unblocker', 'Unblocker', 'text', 'escalatedto', 'whocanclear', 'resolver'),
		f('ask', 'Ask', 'text', 'request', 'whatisasked', 'issuedescription'),
		f('severity', 'Severity', 'severity', 'priority', 'impact'),
		f('raisedOn', 'Raised on', 'date', 'raised', 'dateraised', 'opened', 'dateopened', 'loggedon'),
		f('targetResolution', 'Target resolution', 'date', 'targetdate', 'resolutiondate', 'resolveby', 'duedate'),
		common.status,
		common.departments,
		common.description
	],
	actions: [
		f('text', 'Action', 'text', 'action', 'actiondescription', 'task', 'description'),
		common.title,
		common.owner,
		f('due', 'Due', 'date', 'duedate', 'deadline', 'dueby', 'targetdate'),
		common.status,
		common.departments
	],
	decisions: [
		f('text', 'Decision', 'text', 'decision', 'decisiontext', 'whatwasdecided'),
		common.title,
		f('decidedOn', 'Decided on', 'date', 'date', 'decisiondate', 'datedecided'),
		f('forum', 'Forum', 'text', 'meeting', 'board', 'decidedby'),
		f('decisionMakers', 'Decision-makers', 'people', 'decisionmaker', 'approvers', 'approvedby'),
		f('rationale', 'Rationale', 'text', 'reason', 'reasoning', 'why'),
		common.owner,
		common.departments,
		common.description
	],
	risks: [
		common.title,
		f('cause', 'Cause', 'text', 'riskcause', 'because'),
		f('event', 'Event', 'text', 'riskevent', 'riskdescription', 'description', 'risk'),
		f('effect', 'Effect', 'text', 'riskeffect', 'consequence', 'consequences'),
		f('likelihood', 'Likelihood', 'riskLevel', 'probability', 'prob', 'l'),
		f('impact', 'Impact', 'riskLevel', 'severity', 'i'),
		f('proximity', 'Proximity', 'date', 'proximitydate', 'when', 'timeframe'),
		f('mitigations', 'Mitigations', 'text', 'mitigation', 'mitigatingactions', 'response', 'actions'),
		common.owner,
		common.status,
		common.departments
	],
	assumptions: [
		f('statement', 'Statement', 'text', 'assumption', 'assumptiondescription', 'description'),
		common.title,
		common.owner,
		f('validationDate', 'Validation date', 'date', 'validateby', 'validationdue', 'checkby', 'reviewdate'),
		common.status,
		common.departments
	]
};

export const keyAliases = ['id', 'key', 'ref', 'reference', 'refno', 'no', 'number', 'itemid', 'uniqueid', 'raidid', 'riskid', 'issueid', 'assumptionid', 'dependencyid', 'actionid', 'decisionid'];

/** Lower case, letters and digits only: "Risk owner " → "riskowner". */
export function normaliseHeader(header: string): string {
	return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The register a sheet (or file) name suggests, or null. */
export function registerForSheet(name: string): RegisterName | null {
	const n = normaliseHeader(name);
	if (n.includes('risk')) return 'risks';
	if (n.includes('assumption')) return 'assumptions';
	if (n.includes('issue') || n.includes('blocker')) return 'blockers';
	if (n.includes('dependenc')) return 'dependencies';
	if (n.includes('action')) return 'actions';
	if (n.includes('decision')) return 'decisions';
	return null;
}
