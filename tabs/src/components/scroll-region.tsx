import { useEffect, useId, useState, type ReactNode } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useI18n } from '../i18n/i18n';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: '0', maxWidth: '100%' },
  region: {
    overflowX: 'auto',
    maxWidth: '100%',
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    // The region is a Tab stop so keyboard users can scroll it; it needs a visible ring.
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px' },
    // Fluent's Table is `table-layout: fixed; width: 100%`: at 420 px its columns shrink below
    // their content and the text of neighbouring cells overlaps. Columns size to their content
    // instead, at least the region's width, and the region scrolls sideways.
    '& table': { tableLayout: 'auto', width: 'max-content', minWidth: '100%' },
  },
  sticky: {
    // The first column (the row's name) stays in view while the others scroll under it.
    '& tr > :first-child': {
      position: 'sticky',
      left: '0',
      zIndex: 1,
      backgroundColor: tokens.colorNeutralBackground1,
      // Long names wrap inside the column instead of pushing every other column off screen.
      whiteSpace: 'normal',
      overflowWrap: 'anywhere',
      minWidth: '7em',
      // At most 40 % of a narrow window, so the other columns keep room beside it.
      maxWidth: 'min(14em, 40vw)',
    },
    // Links and labels in the first column may ask for `nowrap`; here they would spill over
    // the next column, so they wrap too.
    '& tr > :first-child *': { whiteSpace: 'normal' },
    '& tbody tr:hover > :first-child': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  // Only while there is more to scroll: a hairline and shadow say the columns go on underneath.
  stuck: {
    '& tr > :first-child': {
      borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
      boxShadow: tokens.shadow4,
    },
  },
  hint: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200 },
});

/** True while `element`'s content is wider than its box; follows resizes of both. */
export function useHorizontalOverflow(element: HTMLElement | null): boolean {
  const [overflowing, setOverflowing] = useState(false);
  useEffect(() => {
    if (!element || typeof ResizeObserver === 'undefined') return;
    // One pixel of slack: sub-pixel widths round differently in scrollWidth and clientWidth.
    const measure = () => setOverflowing(element.scrollWidth > element.clientWidth + 1);
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    measure();
    return () => observer.disconnect();
  }, [element]);
  return overflowing;
}

export interface ScrollRegionProps {
  /** Names the region for screen readers (usually the table's own label). */
  label: string;
  children: ReactNode;
  /** Keep the first column in view while scrolling sideways. @default true */
  stickyFirstColumn?: boolean;
  className?: string;
}

/**
 * The one wrapper for every table: a labelled, focusable region that scrolls sideways when the
 * table is wider than Teams' narrow widths (420 px side panel, 640 px), with the first column
 * kept in view and a short hint while there is more to see. Nothing inside it can widen the page.
 */
export function ScrollRegion({ label, children, stickyFirstColumn = true, className }: ScrollRegionProps) {
  const styles = useStyles();
  const { t } = useI18n();
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const overflowing = useHorizontalOverflow(element);
  const hintId = useId();
  return (
    <div className={mergeClasses(styles.root, className)}>
      <div
        ref={setElement}
        role="region"
        aria-label={label}
        aria-describedby={overflowing ? hintId : undefined}
        tabIndex={0}
        data-scroll-region=""
        className={mergeClasses(styles.region, stickyFirstColumn && styles.sticky, stickyFirstColumn && overflowing && styles.stuck)}
      >
        {children}
      </div>
      {overflowing && (
        <span id={hintId} className={styles.hint}>
          {t.layout.scrollHint}
        </span>
      )}
    </div>
  );
}
