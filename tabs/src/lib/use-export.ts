import { useCallback, useState } from 'react';
import { apiRequest } from './api-client';
import { openInBrowser } from './teams';

/**
 * Exports open through a signed, short-lived link (POST /api/downloads): a browser download
 * cannot carry the Teams SSO token. Inside Teams the link opens in the user's browser.
 */
export function useExport(inTeams: boolean) {
  const [error, setError] = useState<unknown>(null);
  const start = useCallback(
    async (path: string) => {
      setError(null);
      try {
        const { url } = await apiRequest<{ url: string }>('/api/downloads', { method: 'POST', body: { path } });
        if (inTeams) {
          openInBrowser(url, true);
          return;
        }
        const a = document.createElement('a');
        a.href = url;
        a.download = '';
        document.body.append(a);
        a.click();
        a.remove();
      } catch (e) {
        setError(e);
      }
    },
    [inTeams],
  );
  return { start, error, clear: () => setError(null) };
}
