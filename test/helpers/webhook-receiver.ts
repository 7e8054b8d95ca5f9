/**
 * A real HTTP receiver for webhook tests, on port 0. Each path behaves as a kind of receiver does:
 * `/ok/*` answers 200, `/fail/*` always 500, `/flaky/*` 500 to the first delivery of each id and 200
 * after, `/slow/*` holds every request open until `release()`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
	path: string;
	deliveryId: string;
	signature: string;
	body: string;
	json: { id: string; type: string; [key: string]: unknown };
	at: number;
}

export interface WebhookReceiver {
	url: string;
	received: ReceivedDelivery[];
	/** Requests the slow path is holding open now. */
	held(): number;
	release(): void;
	close(): Promise<void>;
	to(path: string): ReceivedDelivery[];
}

/** Checks `X-MC-Signature` the way docs/webhooks.md tells receivers to. */
export function verifySignature(secret: string, header: string, body: string, toleranceSeconds = 300): boolean {
	const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
	const t = Number(parts.t);
	if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds || !parts.v1) return false;
	const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
	const given = Buffer.from(parts.v1);
	return expected.length === given.length && timingSafeEqual(expected, given);
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
	const received: ReceivedDelivery[] = [];
	const seen = new Set<string>();
	let holding: ServerResponse[] = [];
	const server = createServer((request: IncomingMessage, response: ServerResponse) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const path = request.url ?? '/';
			const deliveryId = String(request.headers['x-mc-delivery'] ?? '');
			received.push({ path, deliveryId, signature: String(request.headers['x-mc-signature'] ?? ''), body, json: JSON.parse(body) as ReceivedDelivery['json'], at: Date.now() });
			if (path.startsWith('/slow')) return void holding.push(response);
			if (path.startsWith('/fail')) return void response.writeHead(500).end('receiver broken');
			if (path.startsWith('/flaky') && !seen.has(deliveryId)) {
				seen.add(deliveryId);
				return void response.writeHead(500).end('try again');
			}
			response.writeHead(200).end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const release = () => {
		for (const response of holding) response.writeHead(200).end('ok');
		holding = [];
	};
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		held: () => holding.length,
		release,
		to: (path) => received.filter((delivery) => delivery.path.startsWith(path)),
		async close() {
			release();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}
