import { beforeAll } from 'vitest';
import { openPgStorage, PG_URL, warmPglite } from './helpers';
import { reviewSuite } from './review.suite';
import { storageSuite } from './storage.suite';
import { activitySuite } from './activity.suite';

if (!PG_URL)
  console.info('OUTRIGGER_PG_URL is not set: the PostgreSQL storage suite runs on PGlite (in-process).');
beforeAll(warmPglite, 180_000);
storageSuite(PG_URL ? 'PostgreSQL (server)' : 'PostgreSQL (PGlite)', openPgStorage);
reviewSuite(PG_URL ? 'PostgreSQL (server)' : 'PostgreSQL (PGlite)', openPgStorage);
activitySuite(PG_URL ? 'PostgreSQL (server)' : 'PostgreSQL (PGlite)', openPgStorage);
