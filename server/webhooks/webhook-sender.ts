/**
 * One signed POST to a webhook's receiver. The connection goes to an address `TargetPolicy` has just
 * checked (pinned through `lookup`, so the name is not resolved a second time), with a deadline for
 * the whole exchange; redirects are not followed (a 3xx counts as a failure) and at most a few
 * kilobytes of the answer are read. Never throws: the outcome says what happened.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { signatureHeader } from '#lib/protocol/webhooks.ts';
import type { TargetPolicy } from './webhook-target.ts';

export const senderDefaults = {
	/** The receiver has this long to answer (connect, send, status line). */
	timeoutMs: 10_000,
	/** Of an answer, only this much is read (for the log's error text). */
	maxAnswerBytes: 4_096
} as const;

export interface SendOutcome {
	ok: boolean;
	status: number | null;
	error: string | null;
	durationMs: number;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as receivers check it (docs/webhooks.md). */
export function signature(secret: string, body: string, unixSeconds: number): string {
	const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
	return `t=${unixSeconds},v1=${mac}`;
}

export async function sendDelivery(options: { url: string; secret: string; body: string; deliveryId: string; policy: TargetPolicy; timeoutMs?: number; userAgent: string }): Promise<SendOutcome> {
	const started = performance.now();
	const elapsed = () => Math.round(performance.now() - started);
	let target: { url: URL; addresses: string[] };
	try {
		target = await options.policy.resolveTarget(options.url);
	} catch (error) {
		return { ok: false, status: null, error: error instanceof Error ? error.message : 'target refused', durationMs: elapsed() };
	}
	const address = target.addresses[0]!;
	const family = isIP(address);
	const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
		if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
		else callback(null, address, family);
	};
	const body = Buffer.from(options.body, 'utf8');
	const headers = {
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(body.byteLength),
		'user-agent': options.userAgent,
		[signatureHeader]: signature(options.secret, options.body, Math.floor(Date.now() / 1000)),
		'x-mc-delivery': options.deliveryId
	};
	const request = (target.url.protocol === 'https:' ? httpsRequest : httpRequest)(target.url, { method: 'POST', headers, lookup: pinned, agent: false });
	const timeoutMs = options.timeoutMs ?? senderDefaults.timeoutMs;
	return new Promise<SendOutcome>((resolve) => {
		let settled = false;
		const finish = (outcome: Omit<SendOutcome, 'durationMs'>) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			request.destroy();
			resolve({ ...outcome, durationMs: elapsed() });
		};
		const timer = setTimeout(() => finish({ ok: false, status: null, error: `no answer within ${timeoutMs / 1000} s` }), timeoutMs);
		request.on('error', (error) => finish({ ok: false, status: null, error: error.message.slice(0, 300) }));
		request.on('response', (response: IncomingMessage) => {
			const status = response.statusCode ?? 0;
			let text = '';
			response.on('data', (chunk: Buffer) => {
				if (text.length < senderDefaults.maxAnswerBytes) text += chunk.toString('utf8');
				if (text.length >= senderDefaults.maxAnswerBytes) response.destroy();
			});
			const done = () => {
				const ok = status >= 200 && status < 300;
				finish({ ok, status, error: ok ? null : `HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}${text ? `: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}` : ''}` });
			};
			response.on('end', done);
			response.on('close', done);
			response.on('error', done);
		});
		request.end(body);
	});
}
