/** Formatting shared by the access pages (done on the server, so pages hydrate cleanly). */
import { dateFormat } from '#lib/date-format.ts';

/** A time as people in the Missions Unit read it: UK time, in the workspace's date locale (the layout data's `dateLocale`). */
export function ukDateTime(epochMs: number, dateLocale: string): string {
	return dateFormat(dateLocale).moment(epochMs);
}

/** "Chrome on Linux"-style summary of a user agent (shown as text, never as HTML). */
export function describeAgent(agent: string | undefined): string {
	if (!agent) return 'Unknown browser';
	const browser = /Edg\//.test(agent)
		? 'Edge'
		: /Firefox\//.test(agent)
			? 'Firefox'
			: /Chrom(e|ium)\//.test(agent)
				? 'Chrome'
				: /Safari\//.test(agent)
					? 'Safari'
					: /curl|node|python|go-http|undici/i.test(agent)
						? 'A script'
						: 'A browser';
	const system = /Windows/.test(agent) ? 'Windows' : /Mac OS X|Macintosh/.test(agent) ? 'macOS' : /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS' : /Linux/.test(agent) ? 'Linux' : undefined;
	return system ? `${browser} on ${system}` : browser;
}

/** What a role lets the person reading an invite do, in their words. */
export const roleForYou = {
	lead: 'you manage missions, boards, departments, people, invites and wall displays (Missions Unit)',
	editor: 'you can edit the boards your department joins',
	viewer: 'you can read the boards your department joins, without changing them',
	adviser: 'you advise a mission: you can read the boards your department joins and the missions’ targets and milestones, without changing them'
} as const;
