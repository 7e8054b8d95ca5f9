/**
 * Picks the store for a configuration: PostgreSQL when `databaseUrl` is set, else Redis when
 * `redisUrl` is set, else the embedded SQLite file in `dataDir`. The PostgreSQL and Redis
 * implementations are imported only when used, so an embedded install never loads them.
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
	/** `REDIS_URL`: the store when there is no `databaseUrl`; unset too means embedded SQLite. */
	redisUrl?: string;
	/** `DATABASE_URL`: PostgreSQL holds the data (Redis, if set, then only carries fan-out). */
	databaseUrl?: string;
}

/** What this module needs from `./redis-store.ts`; a mismatch there fails the type check here. */
interface RedisStoreModule {
	createRedisStore(options: { url: string }): Store | Promise<Store>;
}

/** What this module needs from `./postgres-store.ts`. */
interface PostgresStoreModule {
	createPostgresStore(options: { url: string }): Promise<Store>;
}

export async function createStore(config: StoreConfig): Promise<Store> {
	if (config.databaseUrl !== undefined) {
		const postgresStore: PostgresStoreModule = await import('./postgres-store.ts');
		return postgresStore.createPostgresStore({ url: config.databaseUrl });
	}
	if (config.redisUrl === undefined) return createSqliteStore({ dataDir: config.dataDir });
	const redisStore: RedisStoreModule = await import('./redis-store.ts');
	return redisStore.createRedisStore({ url: config.redisUrl });
}
