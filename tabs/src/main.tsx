import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, type TeamsConnection } from './app/app';
import { setTokenProvider } from './lib/api-client';
import { browserHost, connectTeams, getSsoToken } from './lib/teams';
import { applyPageTheme, type TeamsThemeName } from './lib/theme';

const fallback = browserHost(window.location.search, undefined, import.meta.env.VITE_TEAMS_APP_ID ?? null);
document.documentElement.lang = fallback.locale;
applyPageTheme(fallback.theme);

let themeHandler: (theme: TeamsThemeName) => void = () => undefined;
// Only a framed page can be inside Teams; a plain browser tab renders at once without waiting.
const framed = window.parent !== window;
const ready = framed
  ? connectTeams({
      fallback,
      onThemeChange: (theme) => {
        applyPageTheme(theme);
        themeHandler(theme);
      },
    })
  : Promise.resolve(null);
void ready.then((info) => info && applyPageTheme(info.theme));
if (framed) {
  // API calls wait for Teams (at most the init timeout), never the first render.
  setTokenProvider(async () => ((await ready)?.inTeams ? getSsoToken() : null));
}
const teams: TeamsConnection = {
  ready,
  onThemeChange: (handler) => {
    themeHandler = handler;
  },
};

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App initialHost={fallback} teams={teams} />
  </StrictMode>,
);
