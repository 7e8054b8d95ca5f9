import { describe, expect, it } from 'vitest';
import { defaultPreferences } from '#lib/protocol/notifications.ts';
import type { NotificationView } from '#lib/protocol/notifications.ts';
import type { WorkItem } from '#lib/protocol/my-work.ts';
import { localDayAndHour, wantsDigest } from './daily-digest.ts';
import { digestMail, digestMailLimits } from './digest-mail.ts';

const base = { personName: 'Priya Shah', day: '2026-12-02', origin: 'https://missions.example.gov.uk', unsubscribeUrl: 'https://missions.example.gov.uk/unsubscribe?token=mcu.x' };
const event: NotificationView = { id: 'n1', kind: 'mention', text: 'Sam Jones mentioned you on DEP-4 “Pupil data”', boardId: 'b1', boardTitle: 'Schools', register: 'dependencies', recordId: 'r1', ref: 'DEP-4', title: 'Pupil data', path: '/boards/b1?ref=DEP-4', by: 'Sam Jones', at: 1 };
const action = (reason: 'due' | 'overdue', ref: string): WorkItem => ({ boardId: 'b1', boardTitle: 'Schools', register: 'actions', recordId: ref, ref, title: 'Send the figures', status: 'open', reason, date: '2026-11-30', path: `/boards/b1?ref=${ref}` });

describe('digestMail', () => {
	it('says nothing when there is nothing to say', () => {
		expect(digestMail({ ...base, events: [], due: [], changed: [] })).toBeUndefined();
	});

	it('lists what happened, what is overdue or due, and what changed, with links and the unsubscribe link', () => {
		const mail = digestMail({
			...base,
			events: [event],
			due: [action('overdue', 'ACT-1'), action('due', 'ACT-2')],
			changed: [{ ref: 'BLK-2', title: 'Funding', boardTitle: 'Schools', path: '/boards/b1?ref=BLK-2', by: ['Sam Jones'], fields: ['status', 'targetResolution'] }]
		});
		expect(mail?.subject).toBe('Your digest for 2026-12-02: 1 new, 1 overdue, 1 due this week, 1 changed · Mission Control');
		expect(mail?.text).toContain('What happened\n\n- Sam Jones mentioned you on DEP-4 “Pupil data” (Schools): https://missions.example.gov.uk/boards/b1?ref=DEP-4');
		expect(mail?.text).toContain('Overdue\n\n- ACT-1 Send the figures (Schools), due 2026-11-30');
		expect(mail?.text).toContain('Due within a week\n\n- ACT-2');
		expect(mail?.text).toContain('- BLK-2 Funding (Schools): status, target date by Sam Jones');
		expect(mail?.text).toContain('Stop these emails with one click: https://missions.example.gov.uk/unsubscribe?token=mcu.x');
	});

	it('keeps long sections short and says how many more', () => {
		const many = Array.from({ length: digestMailLimits.perSection + 5 }, (_, i) => ({ ...event, id: `n${i}` }));
		const text = digestMail({ ...base, events: many, due: [], changed: [] })?.text ?? '';
		expect(text.match(/^- /gm)).toHaveLength(digestMailLimits.perSection);
		expect(text).toContain('…and 5 more: https://missions.example.gov.uk/me/notifications');
	});
});

describe('the digest clock', () => {
	it('reads the day and hour in the workspace time zone (summer and winter time)', () => {
		expect(localDayAndHour(Date.parse('2026-07-01T23:30:00Z'), 'Europe/London')).toEqual({ day: '2026-07-02', hour: 0 });
		expect(localDayAndHour(Date.parse('2026-12-01T23:30:00Z'), 'Europe/London')).toEqual({ day: '2026-12-01', hour: 23 });
		expect(localDayAndHour(Date.parse('2026-12-01T23:30:00Z'), 'Asia/Tokyo')).toEqual({ day: '2026-12-02', hour: 8 });
	});

	it('sends a digest to people who keep it on or route some events to it', () => {
		expect(wantsDigest(defaultPreferences)).toBe(true);
		const off = { email: { owner: 'immediate', mention: 'off', dependency: 'immediate', escalated: 'off' }, dailyDigest: false } as const;
		expect(wantsDigest(off)).toBe(false);
		expect(wantsDigest({ ...off, email: { ...off.email, mention: 'digest' } })).toBe(true);
	});
});
