import type { Knex } from 'knex';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { CacheService } from '../infra/cache/cache-service.js';

/** What every service is built from. */
export type ServiceDeps = { db: Knex; cache: CacheService; clock: Clock; logger: Logger };
