import { createContext, useContext } from 'react';
import type { HostInfo } from './teams';

export interface HostState extends HostInfo {
  isAdmin: boolean;
}

export const HostContext = createContext<HostState>({
  inTeams: false,
  theme: 'default',
  locale: 'en-US',
  appId: null,
  subPageId: null,
  frameContext: null,
  isAdmin: false,
});

/** Where the tab runs (Teams or browser) and whether the signed-in user is a Rapport admin. */
export function useHost(): HostState {
  return useContext(HostContext);
}
