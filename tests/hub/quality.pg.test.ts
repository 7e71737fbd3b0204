import { beforeAll } from 'vitest';
import { openPgStorage, PG_URL, warmPglite } from './helpers';
import { qualitySuite } from './quality.suite';

beforeAll(warmPglite, 180_000);
qualitySuite(PG_URL ? 'PostgreSQL (server)' : 'PostgreSQL (PGlite)', openPgStorage);
