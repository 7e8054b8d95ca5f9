/**
 * A latency histogram with HDR-style log-linear buckets over microseconds: exact below 256 µs,
 * then 128 buckets per power of two (under 0.8 % error), so millions of samples cost a few KB
 * and histograms from several workers merge by adding counts.
 */

const subBuckets = 128;
const subBucketBits = 7;
const exactBelowUs = 2 * subBuckets;
const maxTrackedUs = 2 ** 31 - 1;

export type HistogramData = {
	/** [bucket index, count] pairs, sparse. */
	buckets: Array<[number, number]>;
	count: number;
	minUs: number;
	maxUs: number;
	sumUs: number;
};

export type LatencySummary = {
	count: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	maxMs: number;
	meanMs: number;
};

function bucketOf(us: number): number {
	const v = Math.min(maxTrackedUs, Math.max(0, Math.round(us)));
	if (v < exactBelowUs) return v;
	const exponent = 31 - Math.clz32(v);
	const shift = exponent - subBucketBits;
	return subBuckets * (shift + 1) + ((v >> shift) - subBuckets);
}

/** The middle of a bucket's range, in microseconds. */
function valueOf(bucket: number): number {
	if (bucket < exactBelowUs) return bucket;
	const shift = Math.floor(bucket / subBuckets) - 1;
	const mantissa = (bucket % subBuckets) + subBuckets;
	return mantissa * 2 ** shift + 2 ** shift / 2;
}

export class Histogram {
	#counts = new Map<number, number>();
	#count = 0;
	#min = Number.POSITIVE_INFINITY;
	#max = 0;
	#sum = 0;

	get count(): number {
		return this.#count;
	}

	recordMs(ms: number): void {
		this.recordUs(ms * 1000);
	}

	recordUs(us: number): void {
		const value = Math.max(0, us);
		const bucket = bucketOf(value);
		this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + 1);
		this.#count += 1;
		this.#sum += value;
		if (value < this.#min) this.#min = value;
		if (value > this.#max) this.#max = value;
	}

	/** The value at percentile `p` (0–100) in microseconds; the exact maximum for p = 100. */
	percentileUs(p: number): number {
		if (this.#count === 0) return 0;
		if (p >= 100) return this.#max;
		const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
		const ordered = [...this.#counts.keys()].sort((a, b) => a - b);
		let seen = 0;
		for (const bucket of ordered) {
			seen += this.#counts.get(bucket) ?? 0;
			if (seen >= rank) return Math.min(this.#max, Math.max(this.#min, valueOf(bucket)));
		}
		return this.#max;
	}

	merge(other: Histogram | HistogramData): void {
		const data = other instanceof Histogram ? other.toJSON() : other;
		for (const [bucket, n] of data.buckets) this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + n);
		this.#count += data.count;
		this.#sum += data.sumUs;
		if (data.count > 0) {
			this.#min = Math.min(this.#min, data.minUs);
			this.#max = Math.max(this.#max, data.maxUs);
		}
	}

	summary(): LatencySummary {
		const ms = (us: number) => Math.round(us) / 1000;
		return {
			count: this.#count,
			p50Ms: ms(this.percentileUs(50)),
			p95Ms: ms(this.percentileUs(95)),
			p99Ms: ms(this.percentileUs(99)),
			maxMs: ms(this.#max),
			meanMs: this.#count === 0 ? 0 : ms(this.#sum / this.#count)
		};
	}

	toJSON(): HistogramData {
		return {
			buckets: [...this.#counts.entries()],
			count: this.#count,
			minUs: this.#count === 0 ? 0 : this.#min,
			maxUs: this.#max,
			sumUs: this.#sum
		};
	}

	static from(data: HistogramData): Histogram {
		const histogram = new Histogram();
		histogram.merge(data);
		return histogram;
	}
}
