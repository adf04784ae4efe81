import { useState } from 'react';
import { Button, Switch, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { ChevronLeftRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { TEXT_COLUMNS, type OfficeColumn, type OfficeQuery, type SortOrder } from '../../../lib/api-types';
import { useHost } from '../../../lib/host-context';
import { useDebounced } from '../../../lib/use-debounced';
import { useExport } from '../../../lib/use-export';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState, LoadingState } from '../../../components/page-state';
import { hiddenThreshold, PrivacyNote } from '../../../components/privacy-note';
import { officeCsvUrl, useOffice } from '../api/get-office';
import { OfficeFilters, type OfficeFilterValues } from './office-filters';
import { OfficeGrid } from './office-grid';

export const OFFICE_PAGE_SIZE = 50;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
  pager: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
});

function initialFilters(query: URLSearchParams): OfficeFilterValues {
  const level = query.get('level');
  const band = query.get('band');
  return {
    level: level === 'month' || level === 'week' ? level : 'year',
    bucket: query.get('bucket') ?? '',
    text: query.get('q') ?? '',
    band: band === 'High' || band === 'Medium' || band === 'Low' ? band : '',
  };
}

/** The full `Office` table: level, period, filters, sorting by header, paging and CSV export. */
export function OfficeTable({ initialQuery }: { initialQuery: URLSearchParams }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { inTeams } = useHost();
  const exporter = useExport(inTeams);
  const [filters, setFilters] = useState(() => initialFilters(initialQuery));
  const [sort, setSort] = useState<{ column: OfficeColumn; order: SortOrder }>({ column: 'EngagementScore', order: 'desc' });
  const [page, setPage] = useState(1);
  // Opened from the dashboard's "My accounts": the caller's own rows, until they switch it off.
  const [mineOffered] = useState(() => initialQuery.get('owner') === 'me');
  const [mine, setMine] = useState(mineOffered);
  const q = useDebounced(filters.text.trim(), 300);

  const query: OfficeQuery = {
    level: filters.level,
    bucket: filters.level === 'year' ? undefined : filters.bucket || undefined,
    q: q || undefined,
    band: filters.band || undefined,
    sort: sort.column,
    order: sort.order,
    ...(mine ? { owner: 'me' as const } : {}),
    page,
    pageSize: OFFICE_PAGE_SIZE,
  };
  const office = useOffice(query);
  const data = office.data;
  const pages = Math.max(1, Math.ceil((data?.total ?? 0) / OFFICE_PAGE_SIZE));
  const hiddenBelow = hiddenThreshold(data?.rows ?? []);
  const csvHref = officeCsvUrl(query);

  const changeFilters = (patch: Partial<OfficeFilterValues>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const changeSort = (column: OfficeColumn) => {
    setSort((s) =>
      s.column === column ? { column, order: s.order === 'asc' ? 'desc' : 'asc' } : { column, order: TEXT_COLUMNS.has(column) ? 'asc' : 'desc' },
    );
    setPage(1);
  };

  return (
    <div className={styles.root}>
      <Title2 as="h1">{t.office.title}</Title2>
      <Text className={styles.muted}>{t.office.intro}</Text>
      {mineOffered && (
        <Switch
          label={t.insights.mine}
          checked={mine}
          onChange={(_, data) => {
            setMine(data.checked);
            setPage(1);
          }}
        />
      )}
      <OfficeFilters
        values={filters}
        buckets={data?.buckets ?? []}
        onChange={changeFilters}
        csvHref={csvHref}
        onExport={(event) => {
          event.preventDefault();
          void exporter.start(csvHref);
        }}
      />
      {exporter.error ? <ErrorState error={exporter.error} onRetry={() => void exporter.start(csvHref)} /> : null}
      {office.error ? (
        <ErrorState error={office.error} onRetry={office.reload} />
      ) : !data ? (
        <LoadingState rows={6} />
      ) : (
        <>
          <Text role="status" aria-live="polite">
            {t.office.total(data.total)}
          </Text>
          {hiddenBelow !== null && <PrivacyNote text={t.privacy.hiddenRows(hiddenBelow)} />}
          {data.rows.length === 0 ? (
            <Text>{t.office.empty}</Text>
          ) : (
            <OfficeGrid rows={data.rows} sort={sort.column} order={sort.order} onSort={changeSort} />
          )}
          <div className={styles.pager}>
            <Button icon={<ChevronLeftRegular />} disabled={page <= 1 || office.loading} onClick={() => setPage((p) => p - 1)}>
              {t.common.previousPage}
            </Button>
            <Text>{t.common.pageStatus(page, pages)}</Text>
            <Button icon={<ChevronRightRegular />} iconPosition="after" disabled={page >= pages || office.loading} onClick={() => setPage((p) => p + 1)}>
              {t.common.nextPage}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}
