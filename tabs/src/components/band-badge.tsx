import { Badge } from '@fluentui/react-components';
import type { EngagementBand } from '../lib/api-types';
import { useI18n } from '../i18n/i18n';

const COLOR = { High: 'success', Medium: 'warning', Low: 'danger' } as const;

/** High ≥ 70, Medium 40–69, Low < 40 (DESIGN.md §3). */
export function BandBadge({ band, size = 'medium' }: { band: EngagementBand; size?: 'small' | 'medium' | 'large' }) {
  const { t } = useI18n();
  return (
    <Badge appearance="tint" color={COLOR[band]} size={size}>
      {t.bands[band]}
    </Badge>
  );
}
