import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser/chromium';
import { buildImageBenchPage, serveDir } from './image-editor';

const OUT = '/work/wt/_shots/coldopen';
const main = async () => {
  const dir = await buildImageBenchPage();
  const { server, url } = await serveDir(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  for (const theme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(`${url}index.html?w=1600&h=1200&n=100&theme=${theme}`);
    await page.evaluate(() => (window as any).__bench.ready);
    await page.screenshot({ path: `${OUT}/bench-editor-100-boxes-${theme}.png` });
    await page.close();
    // The first frame of a cold open, before the panel and tools: the page slowed 8× so the
    // frame between the canvas's draw and the chrome's commit lasts long enough to capture.
    const slow = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await slow.addInitScript('window.__name = (f) => f');
    const cdp = await slow.context().newCDPSession(slow);
    await slow.goto(`${url}index.html?w=1600&h=1200&n=100&theme=${theme}`);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
    await slow.waitForSelector('[data-testid="image-editor"] canvas');
    await slow.waitForFunction(() => performance.getEntriesByName('image-editor:rendered').length > 0, null, { polling: 5 });
    const state = await slow.getAttribute('[data-testid="image-editor"]', 'data-state');
    await slow.screenshot({ path: `${OUT}/bench-first-frame-${theme}.png` });
    console.log(theme, 'first-frame shot at data-state', state);
    await slow.close();
  }
  await browser.close();
  server.close();
};
void main();
