import { describe, expect, it } from 'vitest';
import { mentionedPeople } from './mentions.ts';

const directory = [
	{ id: 'person:sam', name: 'Sam Jones' },
	{ id: 'person:samjs', name: 'Sam Jones-Smith' },
	{ id: 'person:priya', name: 'Priya Shah' }
];
const ids = (text: string) => mentionedPeople(text, directory).map((entry) => entry.id);

describe('mentionedPeople', () => {
	it('finds names after an @, ignoring case, each once', () => {
		expect(ids('@priya shah can you check? cc @Sam Jones, and again @Priya Shah')).toEqual(['person:sam', 'person:priya']);
	});
	it('prefers the longer name, and needs a boundary on both sides', () => {
		expect(ids('(@Sam Jones-Smith) owns it')).toEqual(['person:samjs']);
		expect(ids('mail sam@Sam Jones.gov')).toEqual([]);
		expect(ids('@Sam Jonesy')).toEqual([]);
		expect(ids('no mention of Priya Shah here')).toEqual([]);
	});
});
