import { useMemo, useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, Select, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { Schedule, ScheduleState } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState } from '../../../components/page-state';
import { saveSchedule } from '../api/schedule';

const useStyles = makeStyles({
  form: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
});

function timeZones(current: string): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
  return zones.includes(current) ? zones : [current, ...zones];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The weekly refresh: day, time and time zone (GET/PUT /api/schedule). */
export function ScheduleForm({ initial, onSaved }: { initial: ScheduleState; onSaved: (state: ScheduleState) => void }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const s = t.runs.schedule;
  const [draft, setDraft] = useState<Schedule>(initial.schedule);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const zones = useMemo(() => timeZones(draft.timeZone), [draft.timeZone]);

  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      onSaved(await saveSchedule(draft));
      setSaved(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className={styles.form}>
        <Field label={s.day}>
          <Select value={String(draft.dayOfWeek)} onChange={(_, d) => setDraft({ ...draft, dayOfWeek: Number(d.value) })}>
            {s.days.map((day, i) => (
              <option key={day} value={i}>
                {day}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={s.time}>
          <Input
            type="time"
            value={`${pad(draft.hour)}:${pad(draft.minute)}`}
            onChange={(_, d) => {
              const [h, m] = d.value.split(':').map(Number);
              if (Number.isInteger(h) && Number.isInteger(m)) setDraft({ ...draft, hour: h as number, minute: m as number });
            }}
          />
        </Field>
        <Field label={s.timeZone}>
          <Select value={draft.timeZone} onChange={(_, d) => setDraft({ ...draft, timeZone: d.value })}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </Select>
        </Field>
        <Button disabled={busy} onClick={() => void save()}>
          {s.save}
        </Button>
      </div>
      {initial.nextRunAt && <Text className={styles.muted}>{s.nextRun(fmt.dateTime(initial.nextRunAt))}</Text>}
      {error !== null && <ErrorState error={error} />}
      {saved && (
        <MessageBar intent="success">
          <MessageBarBody>{s.saved}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
