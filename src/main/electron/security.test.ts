import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  createTrustedUrlCheck,
  privilegedSchemes,
  secureWebPreferences,
} from './security';

describe('security settings', () => {
  it('turns off everything that gives the page Node or a way out', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
    });
  });

  it('has a strict CSP in production, relaxed only for the dev server', () => {
    const csp = contentSecurityPolicy(false);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
    expect(contentSecurityPolicy(true)).toContain("script-src 'self' 'unsafe-inline'");
  });

  it('makes both schemes standard and secure', () => {
    for (const s of privilegedSchemes) expect(s.privileges).toMatchObject({ standard: true, secure: true });
  });

  it('trusts only the renderer origin', () => {
    const prod = createTrustedUrlCheck('outrigger-app://app/index.html');
    expect(prod('outrigger-app://app/index.html')).toBe(true);
    expect(prod('outrigger-app://app/queue?x=1#y')).toBe(true);
    for (const url of [
      'outrigger-app://other/',
      'outrigger-asset://app/',
      'https://app/',
      'file:///index.html',
      'outrigger-app://user:pw@app/',
      '',
      null,
      undefined,
      'not a url',
    ]) {
      expect(prod(url), String(url)).toBe(false);
    }
    const dev = createTrustedUrlCheck('http://localhost:5173/');
    expect(dev('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('http://127.0.0.1:5173/')).toBe(false);
  });
});
