import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api';
import { App } from './App';
import { applyTheme, followSystemTheme } from './features/theme/theme';
import { ConnectionProvider } from './hooks/api-context';
import './styles/app.css';

// Before the first paint, so a dark-theme user never sees a white flash.
applyTheme();
followSystemTheme();

// The one place that knows the transport: Electron IPC or HTTP, chosen once.
const connection = connect();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ConnectionProvider value={connection}>
      <App />
    </ConnectionProvider>
  </StrictMode>,
);
