/**
 * The server-side request forgery attack on webhooks: a lead (or a stolen lead session) registers a
 * URL that points inside the deployment. Each is refused, and a delivery to a name that resolves to
 * an internal address never opens a connection.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sendDelivery, signature } from './webhook-sender.ts';
import { TargetPolicy, WebhookTargetError, parseAllowedNetworks } from './webhook-target.ts';

/** Names resolved as a hostile DNS server would answer them. */
const names: Record<string, string[]> = {
	'receiver.example': ['93.184.216.34'],
	'metadata.example': ['169.254.169.254'],
	'split.example': ['93.184.216.34', '10.0.0.5'],
	'mapped.example': ['::ffff:127.0.0.1'],
	'localhost': ['127.0.0.1', '::1']
};
const resolve = async (hostname: string) => {
	const found = names[hostname];
	if (!found) throw new Error('ENOTFOUND');
	return found;
};

describe('webhook targets', () => {
	const policy = new TargetPolicy([], resolve);

	it.each([
		['https://127.0.0.1/hook', 'loopback'],
		['https://127.1.2.3:8443/hook', 'loopback range'],
		['https://2130706433/hook', 'loopback as a decimal number'],
		['https://0x7f.1/hook', 'loopback in hex'],
		['https://[::1]/hook', 'IPv6 loopback'],
		['https://[::ffff:127.0.0.1]/hook', 'IPv4-mapped IPv6'],
		['https://[::ffff:7f00:1]/hook', 'IPv4-mapped IPv6 in hex'],
		['https://0.0.0.0/hook', 'the unspecified address'],
		['https://10.1.2.3/hook', 'private 10/8'],
		['https://172.16.0.1/hook', 'private 172.16/12'],
		['https://192.168.1.1/hook', 'private 192.168/16'],
		['https://100.64.0.1/hook', 'shared address space'],
		['https://169.254.169.254/latest/meta-data', 'the cloud metadata service'],
		['https://[fd00::1]/hook', 'IPv6 unique local'],
		['https://[fe80::1]/hook', 'IPv6 link-local'],
		['https://224.0.0.1/hook', 'multicast'],
		['https://localhost/hook', 'a name for loopback'],
		['https://metadata.example/hook', 'a name for the metadata service'],
		['https://split.example/hook', 'a name with one private address among public ones'],
		['https://mapped.example/hook', 'a name answering IPv4-mapped loopback']
	])('refuses %s (%s)', async (url) => {
		await expect(policy.resolveTarget(url)).rejects.toThrow(WebhookTargetError);
		await expect(policy.resolveTarget(url)).rejects.toThrow(/private, loopback or reserved|has no address/);
	});

	it('refuses other schemes, credentials in the URL, plain http to the internet and unknown names', async () => {
		await expect(policy.resolveTarget('ftp://receiver.example/')).rejects.toThrow(/https:\/\//);
		await expect(policy.resolveTarget('file:///etc/passwd')).rejects.toThrow(/https:\/\//);
		await expect(policy.resolveTarget('https://user:secret@receiver.example/')).rejects.toThrow(/user name or password/);
		await expect(policy.resolveTarget('http://receiver.example/')).rejects.toThrow(/must start with https:\/\//);
		await expect(policy.resolveTarget('https://nowhere.example/')).rejects.toThrow(/could not be resolved/);
	});

	it('accepts a public HTTPS endpoint, with its checked addresses', async () => {
		await expect(policy.resolveTarget('https://receiver.example/hooks/mc')).resolves.toMatchObject({ addresses: ['93.184.216.34'] });
		await expect(policy.resolveTarget('https://93.184.216.34:8443/x')).resolves.toMatchObject({ addresses: ['93.184.216.34'] });
	});

	it('lets an operator allow internal networks (then plain http too), and nothing else', async () => {
		const internal = new TargetPolicy(parseAllowedNetworks('10.0.0.0/8,127.0.0.1'), resolve);
		await expect(internal.resolveTarget('http://10.9.8.7:8080/hook')).resolves.toMatchObject({ addresses: ['10.9.8.7'] });
		await expect(internal.resolveTarget('http://127.0.0.1:9000/hook')).resolves.toMatchObject({ addresses: ['127.0.0.1'] });
		await expect(internal.resolveTarget('https://127.0.0.2/hook')).rejects.toThrow(/loopback/);
		await expect(internal.resolveTarget('https://169.254.169.254/')).rejects.toThrow(/private, loopback or reserved/);
		// http:// is for the listed internal networks only, never for a public address.
		await expect(internal.resolveTarget('http://receiver.example/')).rejects.toThrow(/must start with https:\/\//);
		expect(() => parseAllowedNetworks('10.0.0.0/8,nonsense')).toThrow(/"nonsense"/);
	});

	it('never connects when the name resolves to an internal address at delivery time (DNS rebinding)', async () => {
		let connections = 0;
		const receiver = createServer((request, response) => response.end('ok'));
		receiver.on('connection', () => connections++);
		await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
		const { port } = receiver.address() as AddressInfo;
		try {
			// Registered while the name pointed elsewhere; now it answers 127.0.0.1.
			const outcome = await sendDelivery({ url: `https://localhost:${port}/hook`, secret: 's', body: '{}', deliveryId: 'd1', policy, userAgent: 'test' });
			expect(outcome).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/private, loopback or reserved/) });
			const direct = await sendDelivery({ url: `http://127.0.0.1:${port}/hook`, secret: 's', body: '{}', deliveryId: 'd2', policy, userAgent: 'test' });
			expect(direct.ok).toBe(false);
			expect(connections).toBe(0);
			// The same receiver, allowed by the operator, is reached.
			const allowed = await sendDelivery({ url: `http://127.0.0.1:${port}/hook`, secret: 's', body: '{}', deliveryId: 'd3', policy: new TargetPolicy(['127.0.0.1']), userAgent: 'test' });
			expect(allowed).toMatchObject({ ok: true, status: 200 });
			expect(connections).toBe(1);
		} finally {
			receiver.close();
		}
	});

	it('signs "t.body" with HMAC-SHA256', () => {
		// Reference value: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
		expect(signature('whsec_test', '{"a":1}', 1_700_000_000)).toBe('t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789');
	});
});
