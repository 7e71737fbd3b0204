import { defineScenarios } from './scenarios';

// A PostgreSQL server when OUTRIGGER_PG_URL is set (CI), else the same dialect on PGlite.
defineScenarios('postgres');
