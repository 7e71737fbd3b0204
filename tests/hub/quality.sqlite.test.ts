import { openStorage } from '../../src/hub/storage/open';
import { tempDir } from './helpers';
import { qualitySuite } from './quality.suite';

qualitySuite('SQLite', async () => {
  const t = tempDir();
  return { storage: await openStorage({ dataDir: t.dir }), drop: async () => t.remove() };
});
