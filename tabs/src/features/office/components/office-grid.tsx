import { Button, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles } from '@fluentui/react-components';
import { ArrowSortDownRegular, ArrowSortUpRegular } from '@fluentui/react-icons';
import { OFFICE_COLUMNS, type OfficeColumn, type OfficeRow, type SortOrder } from '../../../lib/api-types';
import { paths } from '../../../lib/router';
import { CellValue } from '../../../components/cell-value';
import { useI18n } from '../../../i18n/i18n';
import { ScrollRegion } from '../../../components/scroll-region';

/** The account name column links to the card; every other column follows OFFICE_COLUMNS. */
export const GRID_COLUMNS: OfficeColumn[] = ['AccountName', ...OFFICE_COLUMNS.filter((c) => c !== 'AccountName')];

const useStyles = makeStyles({
  header: { whiteSpace: 'normal', textAlign: 'start', minWidth: '0', maxWidth: '11em', height: 'auto', paddingInline: '0' },
  name: { whiteSpace: 'nowrap' },
});

export function OfficeGrid(props: {
  rows: OfficeRow[];
  sort: OfficeColumn;
  order: SortOrder;
  onSort: (column: OfficeColumn) => void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <ScrollRegion label={t.office.tableLabel}>
      <Table size="small" aria-label={t.office.tableLabel}>
        <TableHeader>
          <TableRow>
            {GRID_COLUMNS.map((column) => {
              const active = props.sort === column;
              return (
                <TableHeaderCell key={column} aria-sort={active ? (props.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <Button
                    appearance="transparent"
                    size="small"
                    className={styles.header}
                    iconPosition="after"
                    icon={active ? props.order === 'asc' ? <ArrowSortUpRegular aria-hidden="true" /> : <ArrowSortDownRegular aria-hidden="true" /> : undefined}
                    onClick={() => props.onSort(column)}
                  >
                    {t.columns[column]}
                  </Button>
                </TableHeaderCell>
              );
            })}
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.rows.map((row) => (
            <TableRow key={`${row.AccountId}-${row.AggregationStartdate}`}>
              {GRID_COLUMNS.map((column) => (
                <TableCell key={column}>
                  {column === 'AccountName' ? (
                    <Link className={styles.name} href={paths.account(row.AccountId)}>
                      {row.AccountName ?? row.AccountId}
                    </Link>
                  ) : (
                    <CellValue row={row} column={column} />
                  )}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ScrollRegion>
  );
}
