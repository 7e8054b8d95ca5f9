/**
 * Caps on concurrent websocket connections (`/yjs` and socket.io together) per principal and per
 * client address, on this instance: one client cannot hold thousands of sockets (and the memory
 * and descriptors behind them). A connection past either cap is refused before it exists (`/yjs`:
 * HTTP 429; socket.io: `connect_error` `too_many_connections`) and counted
 * (`mc_rejected_total{reason="too_many_connections"}`).
 */
export interface ConnectionCapLimits {
	perPrincipal: number;
	perAddress: number;
}

export class ConnectionCaps {
	readonly limits: Readonly<ConnectionCapLimits>;
	#open = new Map<string, number>();

	constructor(limits: ConnectionCapLimits) {
		this.limits = Object.freeze({ ...limits });
	}

	/**
	 * Takes a place for one connection of `principalId` from `address`; returns the function that
	 * gives it back (idempotent), or undefined when either cap is reached.
	 */
	reserve(principalId: string, address: string): (() => void) | undefined {
		const keys = [`principal:${principalId}`, `address:${address}`] as const;
		if (this.count(keys[0]) >= this.limits.perPrincipal || this.count(keys[1]) >= this.limits.perAddress) return undefined;
		for (const key of keys) this.#open.set(key, this.count(key) + 1);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			for (const key of keys) {
				const left = this.count(key) - 1;
				if (left > 0) this.#open.set(key, left);
				else this.#open.delete(key);
			}
		};
	}

	/** Open connections under one key (`principal:<id>` or `address:<address>`). */
	count(key: string): number {
		return this.#open.get(key) ?? 0;
	}
}
