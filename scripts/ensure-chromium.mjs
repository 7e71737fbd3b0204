// Finds a Chromium for the browser tests: $CHROMIUM, else Debian's /usr/bin/chromium. On a Debian
// machine where we are root it installs the package; otherwise it stops with the one command to run.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export function findChromium() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  return candidates.find((p) => existsSync(p)) ?? null;
}

export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
  if (isRoot && isDebian) {
    console.log("Chromium not found: installing Debian's chromium package (apt-get install -y chromium)…");
    execFileSync(
      'sh',
      ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'],
      {
        stdio: 'inherit',
      },
    );
    const installed = findChromium();
    if (installed) return installed;
  }
  console.error(
    'Browser tests need Chromium. Install it with:  sudo apt-get install -y chromium   (or set CHROMIUM=/path/to/chromium)',
  );
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureChromium());
}
