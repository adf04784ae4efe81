import { makeStyles } from '@fluentui/react-components';
import type { ReactNode } from 'react';

export const useVisuallyHiddenStyles = makeStyles({
  root: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: '0',
    overflow: 'hidden',
    clip: 'rect(0, 0, 0, 0)',
    whiteSpace: 'nowrap',
    border: '0',
  },
});

/** Content for screen readers only (chart data tables, live announcements). */
export function VisuallyHidden({ children, as = 'span' }: { children: ReactNode; as?: 'span' | 'div' }) {
  const styles = useVisuallyHiddenStyles();
  const Tag = as;
  return <Tag className={styles.root}>{children}</Tag>;
}
