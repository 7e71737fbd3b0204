/**
 * Light and dark themes: the system's `prefers-color-scheme` unless the person picked one, which
 * is kept in localStorage. The resolved theme is `data-theme` on <html>; CSS variables do the rest.
 */
export type Theme = 'light' | 'dark';
const KEY = 'outrigger.theme';

const media = (): MediaQueryList | null =>
  typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

export const storedTheme = (): Theme | null => {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null;
  }
};

export const resolveTheme = (): Theme => storedTheme() ?? (media()?.matches ? 'dark' : 'light');

export const applyTheme = (theme: Theme = resolveTheme()): void => {
  document.documentElement.dataset.theme = theme;
};

export const setTheme = (theme: Theme): void => {
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Storage can be off (private mode); the choice then lasts until reload.
  }
  applyTheme(theme);
};

/** Re-applies when the system theme changes and no explicit choice was made. */
export const followSystemTheme = (): (() => void) => {
  const m = media();
  if (!m) return () => {};
  const onChange = () => {
    if (storedTheme() === null) applyTheme();
  };
  m.addEventListener('change', onChange);
  return () => m.removeEventListener('change', onChange);
};
