/**
 * How each dependency looks on the map: by its headline signal (src/lib/board/signals.ts), the
 * same rule as the tables, the detail panel and the wall. A colour (a CSS custom property, so the
 * wall's dark theme and the board page's themes each pick their own), a dash pattern and a stroke
 * width (so the signal never rests on colour alone), and the word shown in the key.
 */
import { toneColour, type SignalTone } from '../../board/signals.ts';
import { statusLabels } from '../board/labels.ts';
import type { DependencyStatus } from '../../protocol/registers.ts';

export type SignalStyle = { label: string; colour: string; dash: string; width: number };

const style = (tone: SignalTone, label: string, dash: string, width: number): SignalStyle => ({ label, colour: toneColour(tone), dash, width });

/** Worst first, the order of the key. */
export const signalStyles = {
	red: style('red', 'Red', '', 5),
	'amber-red': style('amber-red', 'Amber/Red', '', 4.5),
	amber: style('amber', 'Amber', '16 6 4 6', 3.5),
	'amber-green': style('amber-green', 'Amber/Green', '16 6 4 6', 3),
	green: style('green', 'Green', '', 3),
	unrated: style('unrated', 'Not rated', '10 7', 2.5),
	closed: style('closed', 'Delivered', '2 6', 2)
} as const satisfies Record<SignalTone, SignalStyle>;

export function statusLabel(status: DependencyStatus): string {
	return statusLabels[status] ?? status;
}
