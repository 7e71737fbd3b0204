import { useEffect } from 'react';
import { ProblemText } from '../toast/ProblemText';
import { suppressToasts } from '../toast/toast-store';
import './session.css';

/**
 * The whole page once web mode's session ended: what happened, that saved work is kept, and
 * the one way back in (the address the host printed, with its new key).
 */
export function SessionEnded({ detail }: { detail: string }) {
  useEffect(() => suppressToasts(), []);
  return (
    <main className="session-ended" data-testid="session-ended">
      <div className="session-ended-card" role="alert">
        <h1>This tab is no longer connected to the workbench</h1>
        <ProblemText
          words="The workbench on this computer was restarted, so the key this tab opened it with no longer works. Everything this tab saved before is kept by the workbench."
          detail={detail}
        />
        <h2>To go on</h2>
        <ol>
          <li>
            Find the terminal where the workbench runs. It printed a line like{' '}
            <code>Outrigger web mode: http://127.0.0.1:5199/?token=…</code>
          </li>
          <li>Open that address (with its new token) in this browser. This tab can then be closed.</li>
          <li>
            If the workbench is not running, start it again with <code>npm run start:web</code> and open the
            address it prints.
          </li>
        </ol>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Try this tab again
        </button>
      </div>
    </main>
  );
}
