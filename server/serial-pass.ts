/**
 * One pass at a time over a queue kept in the store (the mail outbox, webhook deliveries): a call
 * while a pass runs asks for one more pass after it, never a second pass beside it. A pass that
 * throws is reported and the next call retries; `run()` itself never rejects.
 */
export class SerialPass {
	readonly #pass: () => Promise<void>;
	readonly #onError: (error: unknown) => void;
	#running: Promise<void> | undefined;
	#again = false;

	constructor(pass: () => Promise<void>, onError: (error: unknown) => void) {
		this.#pass = pass;
		this.#onError = onError;
	}

	/** Runs a pass now, or once more after the one under way. Resolves when no pass is left to run. */
	run(): Promise<void> {
		if (this.#running) {
			this.#again = true;
			return this.#running;
		}
		this.#running = (async () => {
			do {
				this.#again = false;
				try {
					await this.#pass();
				} catch (error) {
					this.#onError(error);
				}
			} while (this.#again);
		})().finally(() => (this.#running = undefined));
		return this.#running;
	}

	/** Called by a pass that can do no more for now (it is full): a repeat asked for meanwhile is dropped. */
	skipRepeat(): void {
		this.#again = false;
	}

	/** Resolves when the pass under way, if any, is done. */
	async idle(): Promise<void> {
		await this.#running;
	}
}
