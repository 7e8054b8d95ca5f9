import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

const request = (headers: Record<string, string>, remoteAddress = '10.0.0.9') => ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('clientAddress', () => {
	it('is the socket address without a trusted proxy, whatever the headers say', () => {
		expect(clientAddress(request({ 'x-forwarded-for': '1.2.3.4' }), { addressHeader: undefined, xffDepth: 1 })).toBe('10.0.0.9');
	});

	it('reads x-forwarded-for from the right, XFF_DEPTH deep', () => {
		const forwarded = request({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.2' });
		expect(clientAddress(forwarded, { addressHeader: 'x-forwarded-for', xffDepth: 1 })).toBe('10.0.0.2');
		expect(clientAddress(forwarded, { addressHeader: 'x-forwarded-for', xffDepth: 2 })).toBe('203.0.113.7');
		expect(clientAddress(forwarded, { addressHeader: 'x-forwarded-for', xffDepth: 9 })).toBe('6.6.6.6');
	});

	it('reads another header as it is, and falls back to the socket when it is missing', () => {
		expect(clientAddress(request({ 'x-real-ip': '203.0.113.8' }), { addressHeader: 'x-real-ip', xffDepth: 1 })).toBe('203.0.113.8');
		expect(clientAddress(request({}), { addressHeader: 'x-real-ip', xffDepth: 1 })).toBe('10.0.0.9');
	});
});
