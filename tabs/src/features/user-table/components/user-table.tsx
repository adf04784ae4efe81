import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState, LoadingState } from '../../../components/page-state';
import { useUserTable } from '../api/get-user-table';
import { ScrollRegion } from '../../../components/scroll-region';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

/** `Office_UserTable`: directory object ids of the configured mailboxes (admins only). */
export function UserTable() {
  const styles = useStyles();
  const { t } = useI18n();
  const table = useUserTable();
  return (
    <div className={styles.root}>
      <Title2 as="h1">{t.users.title}</Title2>
      <Text>{t.users.intro}</Text>
      {table.error ? (
        <ErrorState error={table.error} onRetry={table.reload} />
      ) : !table.data ? (
        <LoadingState />
      ) : table.data.rows.length === 0 ? (
        <Text>{t.users.empty}</Text>
      ) : (
        <>
          <Text role="status">{t.users.count(table.data.rows.length)}</Text>
          <ScrollRegion label={t.users.title}>
            <Table size="small" aria-label={t.users.title}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t.users.objectId}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {table.data.rows.map((row) => (
                  <TableRow key={row.ObjectId}>
                    <TableCell className={styles.mono}>{row.ObjectId}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </ScrollRegion>
        </>
      )}
    </div>
  );
}
