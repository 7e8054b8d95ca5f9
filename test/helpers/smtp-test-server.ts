/**
 * A real SMTP server in-process (`smtp-server`) that keeps what it receives, for tests that read
 * the mail the app sent: who it went to, the subject, the plain-text body (decoded), the headers.
 */
import { createServer as createNetServer } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
	to: string[];
	from: string;
	subject: string;
	text: string;
	raw: string;
}

export interface SmtpTestServer {
	port: number;
	url: string;
	received: ReceivedMail[];
	/** Mail to one address, in the order it arrived. */
	to(address: string): ReceivedMail[];
	close(): Promise<void>;
}

/** A port nobody listens on right now (for "the mail server is down, then comes back"). */
export async function freePort(): Promise<number> {
	const probe = createNetServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as { port: number };
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return port;
}

function decodeBody(raw: string): { headers: string; text: string } {
	const split = raw.indexOf('\r\n\r\n');
	const headers = raw.slice(0, split);
	const body = raw.slice(split + 4);
	const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
	if (encoding === 'base64') return { headers, text: Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') };
	if (encoding === 'quoted-printable') {
		const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
		return { headers, text: Buffer.from(bytes, 'latin1').toString('utf8') };
	}
	return { headers, text: body };
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`), as mail clients show them; adjacent words join (a character may span two). */
function decodeWords(value: string): string {
	const word = /=\?[^?]+\?([QqBb])\?([^?]*)\?=/g;
	return value.replace(/=\?[^?]+\?[QqBb]\?[^?]*\?=(?:\s+=\?[^?]+\?[QqBb]\?[^?]*\?=)*/g, (run) => {
		const bytes = [...run.matchAll(word)].map(([, encoding = '', text = '']) =>
			encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_hex, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1')
		);
		return Buffer.concat(bytes).toString('utf8');
	});
}

function header(headers: string, name: string): string {
	const unfolded = headers.replace(/\r\n[ \t]+/g, ' ');
	return decodeWords(new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1] ?? '');
}

export async function startSmtpTestServer(port = 0): Promise<SmtpTestServer> {
	const received: ReceivedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('latin1');
				const { headers, text } = decodeBody(raw);
				received.push({
					to: session.envelope.rcptTo.map((address) => address.address),
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					subject: header(headers, 'subject'),
					text,
					raw
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	const actual = (server.server.address() as { port: number }).port;
	return {
		port: actual,
		url: `smtp://127.0.0.1:${actual}`,
		received,
		to: (address) => received.filter((mail) => mail.to.includes(address)),
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
