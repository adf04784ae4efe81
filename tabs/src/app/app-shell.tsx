import { useEffect, useRef } from 'react';
import { Badge, Button, Text, Title3, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { trackHistory, useRoute, paths, type Route, type RouteName } from '../lib/router';
import { useHost } from '../lib/host-context';
import { useI18n } from '../i18n/i18n';
import type { Messages } from '../i18n/en-US';
import { isWizardPart } from '../features/setup/components/wizard-state';
import { RouteView } from './routes';

const useStyles = makeStyles({
  root: { minHeight: '100vh', display: 'flex', flexDirection: 'column', backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1 },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  tagline: { color: tokens.colorNeutralForeground3 },
  // The badge's sentence wraps at Teams' narrow widths (420 px): the outline grows with it
  // instead of the text spilling out of a fixed-height oval.
  demoBadge: {
    height: 'auto',
    minHeight: '20px',
    maxWidth: '100%',
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
    textAlign: 'start',
    paddingBlock: tokens.spacingVerticalXXS,
    paddingInline: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusXLarge,
  },
  skip: {
    position: 'absolute',
    left: tokens.spacingHorizontalS,
    top: '-100px',
    ':focus': { top: tokens.spacingVerticalS, zIndex: 10 },
  },
  nav: { backgroundColor: tokens.colorNeutralBackground1, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  navList: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, listStyleType: 'none', margin: '0', padding: `0 ${tokens.spacingHorizontalL}` },
  navLink: {
    display: 'inline-block',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    color: tokens.colorNeutralForeground2,
    textDecorationLine: 'none',
    borderBottom: `${tokens.strokeWidthThicker} solid transparent`,
    ':hover': { color: tokens.colorNeutralForeground1, backgroundColor: tokens.colorSubtleBackgroundHover },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  navActive: { color: tokens.colorNeutralForeground1, fontWeight: tokens.fontWeightSemibold, borderBottomColor: tokens.colorCompoundBrandStroke },
  main: {
    flexGrow: 1,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
    // A focus target after navigation, not a control: no ring.
    ':focus': { outline: 'none' },
  },
  bare: { padding: tokens.spacingHorizontalXL, backgroundColor: tokens.colorNeutralBackground1, minHeight: '100vh' },
});

interface NavItem {
  route: RouteName;
  href: string;
  label: string;
  adminOnly: boolean;
}

/**
 * The page's name in the title bar and the browser tab: "Dashboard · Rapport". Routes added
 * later fall back to their nav label, then to the app's name, so no page is left untitled.
 */
export function pageName(route: Route, t: Messages): string {
  if (route.name === 'configurationEdit') {
    // The same words as the page's heading ("Editing: Field mapping"); an unknown part is a missing page.
    return isWizardPart(route.part) ? t.setupSave.editing(t.configuration.parts[route.part]) : t.insights.pages.notFound;
  }
  const pages = t.insights.pages as Record<string, string>;
  const nav = t.app.nav as Record<string, string>;
  return pages[route.name] ?? nav[route.name] ?? t.app.name;
}

/**
 * Which top-level item a route belongs to: a customer card sits under the dashboard, editing
 * one part of the configuration under the configuration summary.
 */
export function sectionOf(route: Route): RouteName {
  if (route.name === 'account') return 'dashboard';
  if (route.name === 'configurationEdit') return 'configuration';
  return route.name;
}

export function AppShell({ demo }: { demo: boolean }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { isAdmin } = useHost();
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);

  useEffect(() => trackHistory(), []);

  // The title names the page (screen readers announce it; Teams and browsers show it). A
  // customer card refines it with the account's name once loaded.
  const title = t.insights.pageTitle(pageName(route, t));
  useEffect(() => {
    document.title = title;
  }, [title]);

  // Moving between pages puts focus on the new content, as a page load would.
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [route.name]);

  if (route.name === 'config') {
    return (
      <main className={styles.bare}>
        <RouteView route={route} />
      </main>
    );
  }

  const items: NavItem[] = [
    { route: 'dashboard', href: paths.dashboard(), label: t.app.nav.dashboard, adminOnly: false },
    { route: 'office', href: paths.office(), label: t.app.nav.office, adminOnly: false },
    { route: 'segments', href: paths.segments(), label: t.app.nav.segments, adminOnly: false },
    { route: 'settings', href: paths.settings(), label: t.settings.navLabel, adminOnly: false },
    { route: 'setup', href: paths.setup(), label: t.app.nav.setup, adminOnly: true },
    { route: 'configuration', href: paths.configuration(), label: t.configuration.title, adminOnly: true },
    { route: 'users', href: paths.users(), label: t.app.nav.users, adminOnly: true },
  ];
  const current = sectionOf(route);

  return (
    <div className={styles.root}>
      <Button className={styles.skip} onClick={() => mainRef.current?.focus()}>
        {t.app.skipToContent}
      </Button>
      <header className={styles.header}>
        <Title3 as="p">{t.app.name}</Title3>
        <Text className={styles.tagline}>{t.app.tagline}</Text>
        {demo && (
          <Badge appearance="outline" color="informative" className={styles.demoBadge}>
            {t.app.demoMode}
          </Badge>
        )}
      </header>
      <nav className={styles.nav} aria-label={t.app.navLabel}>
        <ul className={styles.navList}>
          {items
            .filter((item) => isAdmin || !item.adminOnly)
            .map((item) => (
              <li key={item.route}>
                <a
                  href={item.href}
                  className={mergeClasses(styles.navLink, current === item.route && styles.navActive)}
                  aria-current={current === item.route ? 'page' : undefined}
                >
                  {item.label}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1} className={styles.main}>
        <RouteView route={route} />
      </main>
    </div>
  );
}
