/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The Teams app id (manifest `id`), for deep links when the Teams context lacks it. */
  readonly VITE_TEAMS_APP_ID?: string;
}
