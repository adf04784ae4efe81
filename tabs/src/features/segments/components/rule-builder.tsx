import { Button, Field, Input, Select, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import { OFFICE_COLUMNS, type ConditionOperator, type OfficeColumn } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';
import { MAX_DEPTH, OPERATORS, inputTypeFor, needsValue, newCondition, newGroup, updateNode, type EditorCondition, type EditorGroup } from './rule-model';

const useStyles = makeStyles({
  group: {
    margin: '0',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
  },
  nested: { backgroundColor: tokens.colorNeutralBackground2 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: `0 ${tokens.spacingHorizontalXS}` },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalS },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

function ConditionRow({ condition, onChange, onRemove }: { condition: EditorCondition; onChange: (c: EditorCondition) => void; onRemove: () => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <div className={styles.row} role="group" aria-label={`${t.columns[condition.column]} ${t.segments.operators[condition.operator]} ${condition.value}`}>
      <Field label={t.segments.column}>
        <Select value={condition.column} onChange={(_, d) => onChange({ ...condition, column: d.value as OfficeColumn })}>
          {OFFICE_COLUMNS.map((column) => (
            <option key={column} value={column}>
              {t.columns[column]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t.segments.operator}>
        <Select value={condition.operator} onChange={(_, d) => onChange({ ...condition, operator: d.value as ConditionOperator })}>
          {OPERATORS.map((op) => (
            <option key={op} value={op}>
              {t.segments.operators[op]}
            </option>
          ))}
        </Select>
      </Field>
      {needsValue(condition.operator) && (
        <Field label={t.segments.value}>
          <Input type={inputTypeFor(condition.column)} value={condition.value} onChange={(_, d) => onChange({ ...condition, value: d.value })} />
        </Field>
      )}
      <Button icon={<DeleteRegular />} aria-label={t.segments.removeCondition} title={t.segments.removeCondition} onClick={onRemove} />
    </div>
  );
}

/** One AND/OR group: its conditions, nested groups (up to MAX_DEPTH) and the add buttons. */
export function GroupEditor({ group, depth, onChange, onRemove }: { group: EditorGroup; depth: number; onChange: (g: EditorGroup) => void; onRemove?: () => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <fieldset className={mergeClasses(styles.group, depth > 0 && styles.nested)}>
      <legend className={styles.legend}>{t.segments.groupLabel(depth)}</legend>
      <Field label={t.segments.match}>
        <Select value={group.op} onChange={(_, d) => onChange({ ...group, op: d.value as 'and' | 'or' })}>
          <option value="and">{t.segments.matchAll}</option>
          <option value="or">{t.segments.matchAny}</option>
        </Select>
      </Field>
      {group.children.map((child) =>
        child.kind === 'group' ? (
          <GroupEditor
            key={child.id}
            group={child}
            depth={depth + 1}
            onChange={(next) => onChange(updateNode(group, child.id, next))}
            onRemove={() => onChange(updateNode(group, child.id, null))}
          />
        ) : (
          <ConditionRow
            key={child.id}
            condition={child}
            onChange={(next) => onChange(updateNode(group, child.id, next))}
            onRemove={() => onChange(updateNode(group, child.id, null))}
          />
        ),
      )}
      <div className={styles.actions}>
        <Button icon={<AddRegular />} onClick={() => onChange({ ...group, children: [...group.children, newCondition()] })}>
          {t.segments.addCondition}
        </Button>
        {depth < MAX_DEPTH && (
          <Button icon={<AddRegular />} onClick={() => onChange({ ...group, children: [...group.children, newGroup('or')] })}>
            {t.segments.addGroup}
          </Button>
        )}
        {onRemove && (
          <Button icon={<DeleteRegular />} onClick={onRemove}>
            {t.segments.removeGroup}
          </Button>
        )}
      </div>
    </fieldset>
  );
}
