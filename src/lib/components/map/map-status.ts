/**
 * How each dependency status looks on the map: a colour (a CSS custom property, so the wall's
 * dark theme and the board page's themes each pick their own), a dash pattern and a stroke width
 * (so the status never rests on colour alone), and the word shown beside it.
 */
import type { DependencyStatus } from '../../protocol/registers.ts';

export type StatusStyle = { label: string; colour: string; dash: string; width: number };

export const dependencyStatusStyles = {
	proposed: { label: 'Proposed', colour: 'var(--map-proposed, var(--muted))', dash: '10 7', width: 2.5 },
	agreed: { label: 'Agreed', colour: 'var(--map-agreed, var(--accent))', dash: '', width: 3 },
	at_risk: { label: 'At risk', colour: 'var(--map-at-risk, var(--rag-amber))', dash: '16 6 4 6', width: 3.5 },
	late: { label: 'Late', colour: 'var(--map-late, var(--rag-red))', dash: '', width: 5 },
	delivered: { label: 'Delivered', colour: 'var(--map-delivered, var(--rag-green))', dash: '', width: 2.5 },
	cancelled: { label: 'Cancelled', colour: 'var(--map-cancelled, var(--muted))', dash: '2 6', width: 2 },
	disputed: { label: 'Disputed', colour: 'var(--map-disputed, var(--rag-amber-red))', dash: '3 6', width: 4 }
} as const satisfies Record<DependencyStatus, StatusStyle>;

export function statusLabel(status: DependencyStatus): string {
	return dependencyStatusStyles[status].label;
}
