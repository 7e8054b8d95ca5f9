/**
 * Picks the store for a configuration: the embedded SQLite file in `dataDir` unless `redisUrl` is set.
 * The Redis implementation is imported only when it is used, so an embedded install never loads it.
 */
import { createSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

export {
	StoreUnavailableError,
	storeKinds,
	type AppendEntry,
	type HistoryEntry,
	type LoadedDoc,
	type Store,
	type StoreKind,
	type StoredRecord,
	type UpdateMeta
} from './store.ts';

export interface StoreConfig {
	/** Where the SQLite file lives (`DATA_DIR`); unused with Redis. */
	dataDir: string;
	/** `REDIS_URL`; unset means embedded SQLite. */
	redisUrl?: string;
}

/** What this module needs from `./redis-store.ts`; a mismatch there fails the type check here. */
interface RedisStoreModule {
	createRedisStore(options: { url: string }): Store | Promise<Store>;
}

export async function createStore(config: StoreConfig): Promise<Store> {
	if (config.redisUrl === undefined) return createSqliteStore({ dataDir: config.dataDir });
	const redisStore: RedisStoreModule = await import('./redis-store.ts');
	return redisStore.createRedisStore({ url: config.redisUrl });
}
