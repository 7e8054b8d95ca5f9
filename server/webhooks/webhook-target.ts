/**
 * Where a webhook may be sent (server-side request forgery defence). A hook's URL is typed by a lead,
 * but the request leaves from inside the deployment, so without a check a URL could reach the cloud
 * metadata service (169.254.169.254), Redis or PostgreSQL on localhost, or the internal network.
 *
 * The rule: the target is HTTPS and every address its name resolves to is public. Private, loopback,
 * link-local, shared, multicast, documentation and reserved ranges (IPv4 and IPv6, including IPv4
 * written inside IPv6) are refused unless an operator lists them in `WEBHOOK_ALLOWED_NETWORKS`
 * (an internal receiver); plain `http://` is accepted only for such listed networks.
 *
 * The check runs when a hook is registered and again at every delivery, on the addresses that
 * delivery then connects to (`resolveTarget` pins them), so a name that later resolves elsewhere
 * (DNS rebinding) is refused too. Redirects are never followed (see webhook-sender.ts).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export class WebhookTargetError extends Error {
	readonly code = 'invalid_request';
	constructor(message: string) {
		super(message);
		this.name = 'WebhookTargetError';
	}
}

/** Ranges no webhook reaches unless listed as allowed (IANA special-purpose registries). */
const specialRanges = {
	ipv4: ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24', '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4'],
	ipv6: ['::/127', '64:ff9b::/96', '64:ff9b:1::/48', '100::/64', '2001::/23', '2001:db8::/32', '2002::/16', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8']
} as const;

function blockListOf(subnets: Iterable<string>): BlockList {
	const list = new BlockList();
	for (const subnet of subnets) {
		const [address = '', bits] = subnet.split('/');
		const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
		list.addSubnet(address, bits === undefined ? (type === 'ipv6' ? 128 : 32) : Number(bits), type);
	}
	return list;
}

const special = blockListOf([...specialRanges.ipv4, ...specialRanges.ipv6]);

/** Parses `WEBHOOK_ALLOWED_NETWORKS` (comma-separated CIDRs or addresses); throws naming the bad one. */
export function parseAllowedNetworks(text: string | undefined): string[] {
	const items = (text ?? '').split(',').map((item) => item.trim()).filter(Boolean);
	for (const item of items) {
		const [address = '', bits, extra] = item.split('/');
		const family = isIP(address);
		const max = family === 6 ? 128 : 32;
		const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
		if (family === 0 || !validBits || extra !== undefined) throw new Error(`"${item}" is not an IP address or a network such as 10.0.0.0/8`);
	}
	return items;
}

export class TargetPolicy {
	readonly #allowed: BlockList;
	readonly #resolve: (hostname: string) => Promise<string[]>;

	constructor(allowedNetworks: readonly string[] = [], resolve: (hostname: string) => Promise<string[]> = resolveAll) {
		this.#allowed = blockListOf(allowedNetworks);
		this.#resolve = resolve;
	}

	/** `public`, `allowed` (special but listed by the operator) or `refused`. */
	verdict(address: string): 'public' | 'allowed' | 'refused' {
		const family = isIP(address);
		if (family === 0) return 'refused';
		const type = family === 6 ? 'ipv6' : 'ipv4';
		// IPv4 written inside IPv6 (::ffff:127.0.0.1, ::ffff:7f00:1) is judged as the IPv4 address it is.
		const mapped = type === 'ipv6' ? mappedIpv4(address) : undefined;
		if (mapped) return this.verdict(mapped);
		if (this.#allowed.check(address, type)) return 'allowed';
		return special.check(address, type) ? 'refused' : 'public';
	}

	/**
	 * Checks a URL and resolves it: the addresses a delivery may connect to, all checked. Throws
	 * WebhookTargetError with a reason a lead can act on.
	 */
	async resolveTarget(text: string): Promise<{ url: URL; addresses: string[] }> {
		let url: URL;
		try {
			url = new URL(text);
		} catch {
			throw new WebhookTargetError('the URL is not valid');
		}
		if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookTargetError('a webhook URL must start with https://');
		if (url.username || url.password) throw new WebhookTargetError('a webhook URL cannot carry a user name or password (the signature authenticates deliveries)');
		const hostname = url.hostname.replace(/^\[|\]$/g, '');
		let addresses: string[];
		try {
			addresses = isIP(hostname) ? [hostname] : await this.#resolve(hostname);
		} catch {
			throw new WebhookTargetError(`the host ${hostname} could not be resolved`);
		}
		if (addresses.length === 0) throw new WebhookTargetError(`the host ${hostname} has no address`);
		const verdicts = addresses.map((address) => this.verdict(address));
		const refused = addresses.find((_, index) => verdicts[index] === 'refused');
		if (refused) throw new WebhookTargetError(`${hostname} resolves to ${refused}, a private, loopback or reserved address; webhooks go to public HTTPS endpoints (an operator can allow internal networks with WEBHOOK_ALLOWED_NETWORKS)`);
		if (url.protocol === 'http:' && verdicts.some((verdict) => verdict !== 'allowed')) throw new WebhookTargetError('a webhook URL must start with https:// (plain http:// only for networks listed in WEBHOOK_ALLOWED_NETWORKS)');
		return { url, addresses };
	}
}

function mappedIpv4(address: string): string | undefined {
	const dotted = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (dotted) return dotted[1];
	const hex = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
	if (!hex) return undefined;
	const high = parseInt(hex[1]!, 16);
	const low = parseInt(hex[2]!, 16);
	return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

async function resolveAll(hostname: string): Promise<string[]> {
	return (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
}
