import { useState } from 'react';
import { resolveTheme, setTheme, type Theme } from './theme';

export function ThemeToggle() {
  const [theme, setState] = useState<Theme>(resolveTheme);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="statusbar-button"
      data-testid="theme-toggle"
      data-theme-current={theme}
      title={`Switch to ${next} theme`}
      onClick={() => {
        setTheme(next);
        setState(next);
      }}
    >
      {theme === 'dark' ? '☾ Dark' : '☀ Light'}
    </button>
  );
}
