import { useState } from 'react';
import { Tab, TabList, Text } from '@fluentui/react-components';
import { isHiddenRow, type OfficeRow } from '../../../lib/api-types';
import { ChartFrame } from '../../../components/chart-frame';
import { hiddenThreshold, PrivacyNote } from '../../../components/privacy-note';
import { useI18n } from '../../../i18n/i18n';

type Granularity = 'month' | 'week';

/**
 * Emails and meetings per month or per week, oldest first. Periods hidden by the privacy
 * threshold are left out (drawing them as 0 would be false) and a sentence says so.
 */
export function ActivityHistory({ months, weeks }: { months: OfficeRow[]; weeks: OfficeRow[] }) {
  const { t, fmt } = useI18n();
  const [granularity, setGranularity] = useState<Granularity>('month');
  const shown = granularity === 'month' ? months : weeks;
  const hiddenBelow = hiddenThreshold(shown);
  const rows = shown.filter((r) => !isHiddenRow(r)).sort((a, b) => a.AggregationStartdate.localeCompare(b.AggregationStartdate));
  const label = (row: OfficeRow) => (granularity === 'month' ? fmt.month(row.AggregationStartdate) : fmt.date(row.AggregationStartdate));
  const emails = (row: OfficeRow) => (row.NoOfEmails_ToAccount ?? 0) + (row.NoOfEmails_FromAccount ?? 0);
  const meetings = (row: OfficeRow) => (row.NoOfMeetings_ToAccount ?? 0) + (row.NoOfMeetings_FromAccount ?? 0);
  const totalEmails = rows.reduce((sum, r) => sum + emails(r), 0);
  const totalMeetings = rows.reduce((sum, r) => sum + meetings(r), 0);
  return (
    <>
      <TabList
        aria-label={t.card.granularity}
        selectedValue={granularity}
        onTabSelect={(_, d) => setGranularity(d.value as Granularity)}
        size="small"
      >
        <Tab value="month">{t.card.byMonth}</Tab>
        <Tab value="week">{t.card.byWeek}</Tab>
      </TabList>
      {rows.length === 0 ? (
        <Text>{t.card.historyEmpty}</Text>
      ) : (
        <ChartFrame
          title={t.card.historyTitle}
          summary={t.card.historySummary(totalEmails, totalMeetings, rows.length)}
          spec={{
            kind: 'bars',
            groups: rows.map((r) => ({
              name: label(r),
              values: [
                { legend: t.card.emails, value: emails(r) },
                { legend: t.card.meetings, value: meetings(r) },
              ],
            })),
          }}
          table={{ columns: [t.card.period, t.card.emails, t.card.meetings], rows: rows.map((r) => [label(r), emails(r), meetings(r)]) }}
        />
      )}
      {hiddenBelow !== null && <PrivacyNote text={t.privacy.hiddenPeriods(hiddenBelow)} />}
    </>
  );
}
