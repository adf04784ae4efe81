import { useMemo, useState } from 'react';
import { Button, Card, CardHeader, Field, Input, MessageBar, MessageBarBody, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useDebounced } from '../../../lib/use-debounced';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState, LoadingState } from '../../../components/page-state';
import { createSegment, useSegmentPreview } from '../api/segments';
import { GroupEditor } from './rule-builder';
import { MemberTable } from './member-table';
import { fromRule, newCondition, newGroup, toRule, type EditorGroup } from './rule-model';
import type { SegmentRule } from '../../../lib/api-types';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
});

/** The preview shows a glimpse; the saved segment's member list has them all. */
const PREVIEW_ROWS = 10;

/**
 * Where a new rule starts: the configured stale rule (the built-in segment's, so its preview
 * matches the stale count), or one condition while the segments are still loading.
 */
function starterRule(starter: SegmentRule | null): EditorGroup {
  return starter ? fromRule(starter) : newGroup('and', [newCondition('DaysSinceLastemail', '>', '60')]);
}

/** Builds a rule, previews it live, and saves it as a segment. */
export function SegmentBuilder({ onSaved, starter = null }: { onSaved: () => void; starter?: SegmentRule | null }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const [name, setName] = useState('');
  const [group, setGroup] = useState<EditorGroup>(() => starterRule(starter));
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [nameMissing, setNameMissing] = useState(false);

  const rule = useMemo(() => toRule(group), [group]);
  const debouncedRule = useDebounced(rule, 400);
  const preview = useSegmentPreview(debouncedRule);
  const shown = preview.data?.members.slice(0, PREVIEW_ROWS) ?? [];

  const save = async () => {
    if (!rule) return;
    if (!name.trim()) {
      setNameMissing(true);
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const segment = await createSegment(name.trim(), rule);
      setSaved(segment.name ?? name.trim());
      setName('');
      onSaved();
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card>
      <CardHeader header={<Subtitle2 as="h2">{t.segments.builderTitle}</Subtitle2>} />
      <div className={styles.root}>
        <Field label={t.segments.name} required validationMessage={nameMissing && !name.trim() ? t.segments.nameRequired : undefined}>
          <Input value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
        {starter && <Text>{t.stale.startFromStale}</Text>}
        <GroupEditor group={group} depth={0} onChange={setGroup} />
        {/* Not a named landmark: the member table's scroll region inside already carries this name (axe landmark-unique). */}
        <section>
          <Subtitle2 as="h3" block>{t.segments.previewTitle}</Subtitle2>
          {preview.error ? (
            <ErrorState error={preview.error} onRetry={preview.reload} />
          ) : preview.loading && !preview.data ? (
            <LoadingState inline />
          ) : preview.data ? (
            <>
              <Text as="p" role="status" aria-live="polite">
                {t.segments.previewCount(preview.data.total)}
                {shown.length < preview.data.total ? ` (${t.segments.previewShown(fmt.number(shown.length))})` : ''}
              </Text>
              {shown.length > 0 && <MemberTable rows={shown} label={t.segments.previewTitle} />}
            </>
          ) : null}
        </section>
        {saveError !== null && <ErrorState error={saveError} />}
        {saved && (
          <MessageBar intent="success">
            <MessageBarBody>{t.segments.saved(saved)}</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.actions}>
          <Button appearance="primary" disabled={!rule || saving} onClick={() => void save()}>
            {saving ? t.common.saving : t.segments.save}
          </Button>
        </div>
      </div>
    </Card>
  );
}
