import { makeStyles, tokens } from '@fluentui/react-components';
import type { SegmentCondition, SegmentGroup } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';
import { needsValue } from './rule-model';

const useStyles = makeStyles({
  list: { margin: '0', paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  op: { fontWeight: tokens.fontWeightSemibold },
  value: { fontVariantNumeric: 'tabular-nums' },
});

function ConditionText({ condition }: { condition: SegmentCondition }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <>
      {t.columns[condition.column]} {t.segments.operators[condition.operator]}
      {needsValue(condition.operator) && condition.value !== undefined && <span className={styles.value}> {String(condition.value)}</span>}
    </>
  );
}

/** A rule, read-only, as nested lists: "All of these: …", "Any of these: …". */
export function RuleTree({ rule, label }: { rule: SegmentGroup; label?: string }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <div aria-label={label} role={label ? 'group' : undefined}>
      <span className={styles.op}>{rule.op === 'and' ? t.stale.all : t.stale.any}</span>
      <ul className={styles.list}>
        {rule.children.map((child, i) => (
          <li key={i}>{child.kind === 'group' ? <RuleTree rule={child} /> : <ConditionText condition={child} />}</li>
        ))}
      </ul>
    </div>
  );
}
