import { useMemo, useRef, useState, type FormEvent } from 'react';
import {
  Button,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Switch,
  Text,
  Textarea,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import type { ConfigState } from '../../../lib/api-types';
import { ApiError } from '../../../lib/api-client';
import { paths } from '../../../lib/router';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState } from '../../../components/page-state';
import { saveRules } from '../api/rules';
import { DEFAULT_WEIGHTS, WEIGHT_KEYS, checkDraft, draftFrom, parsePercent, sameRules, weightSum, type Rules, type RulesDraft, type WeightKey } from './rules-draft';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  section: {
    margin: '0',
    minWidth: '0',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  legend: { padding: `0 ${tokens.spacingHorizontalXS}` },
  explain: { color: tokens.colorNeutralForeground2 },
  number: { maxWidth: '12rem' },
  weights: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 15rem), 1fr))', gap: tokens.spacingHorizontalM },
  sum: { fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
  sumWrong: { color: tokens.colorPaletteRedForeground1 },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  problems: { margin: '0', paddingLeft: tokens.spacingHorizontalXL },
});

/** Field ids, so a failed save can move focus to the first field to fix. */
const ID = {
  staleDays: 'settings-stale-days',
  weight: (k: WeightKey) => `settings-weight-${k}`,
  domains: 'settings-internal-domains',
  exclusions: 'settings-exclusions',
  minimumColleagues: 'settings-minimum-colleagues',
};

interface Props {
  version: number;
  rules: Rules;
  readOnly: boolean;
  justSaved: boolean;
  onSaved: (state: ConfigState) => void;
  onReload: () => void;
}

/** The rules as a form: each rule explained in words, checked as typed, saved as a new version. */
export function RulesForm({ version, rules, readOnly, justSaved, onSaved, onReload }: Props) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const [draft, setDraft] = useState<RulesDraft>(() => draftFrom(rules));
  const [submitted, setSubmitted] = useState(false);
  // A field's problem shows once the admin has left the field (or tried to save), not while typing its first line.
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const touch = (id: string) => () => setTouched((t) => (t[id] ? t : { ...t, [id]: true }));
  const shown = (id: string) => submitted || touched[id] === true;
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  const checked = useMemo(() => checkDraft(draft), [draft]);
  const { problems } = checked;
  const dirty = checked.rules === null || !sameRules(checked.rules, rules);
  const sum = weightSum(draft.weights);
  const staleDays = problems.staleDays === null ? Number(draft.staleDays.trim()) : null;
  const set = (patch: Partial<RulesDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const conflict = error instanceof ApiError && error.code === 'CONFIG_VERSION_CONFLICT';

  // Messages for each field; a list shows every bad line by number.
  const messages = {
    staleDays: problems.staleDays && t.settings.problems.staleDays[problems.staleDays],
    minimumColleagues: problems.minimumColleagues && t.settings.problems.minimumColleagues[problems.minimumColleagues],
    weight: (k: WeightKey) => {
      const p = problems.weights[k];
      return p ? t.settings.problems.weight[p] : undefined;
    },
    domains: [
      ...problems.extraInternalDomains.map((l) => t.settings.problems.domainLine(l.line, l.text)),
      ...(problems.tooManyDomains ? [t.settings.problems.tooManyDomains] : []),
    ],
    exclusions: [
      ...problems.exclusions.map((l) => t.settings.problems.exclusionLine(l.line, l.text)),
      ...(problems.tooManyExclusions ? [t.settings.problems.tooManyExclusions] : []),
    ],
  };
  const sumMessage = problems.weightsSum !== null ? t.settings.weightsSumWrong(fmt.number(problems.weightsSum, 2)) : null;
  // The summary after a refused save, in the order of the form, each with the field to focus.
  const summary: { id: string; text: string }[] = [
    ...(messages.staleDays ? [{ id: ID.staleDays, text: `${t.settings.staleDays}: ${messages.staleDays}` }] : []),
    ...WEIGHT_KEYS.flatMap((k) => {
      const m = messages.weight(k);
      return m ? [{ id: ID.weight(k), text: `${t.settings.weightLabels[k]}: ${m}` }] : [];
    }),
    ...(sumMessage ? [{ id: ID.weight('emails'), text: sumMessage }] : []),
    ...messages.domains.map((text) => ({ id: ID.domains, text: `${t.settings.domainsTitle}: ${text}` })),
    ...messages.exclusions.map((text) => ({ id: ID.exclusions, text: `${t.settings.exclusionsTitle}: ${text}` })),
    ...(messages.minimumColleagues ? [{ id: ID.minimumColleagues, text: `${t.settings.minimumColleagues}: ${messages.minimumColleagues}` }] : []),
  ];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (readOnly || saving) return;
    setSubmitted(true);
    setError(null);
    if (!checked.rules) {
      const first = summary[0];
      if (first) document.getElementById(first.id)?.focus();
      else summaryRef.current?.focus();
      return;
    }
    setSaving(true);
    try {
      onSaved(await saveRules(checked.rules, version));
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  const weightsValid = problems.weightsSum === null && sum !== null;
  const listHint = (text: string) => t.settings.entries(text.split(/\r?\n/).filter((l) => l.trim() !== '').length);

  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} noValidate aria-label={t.settings.title}>
      {readOnly && (
        <MessageBar intent="info">
          <MessageBarBody>{t.settings.readOnly}</MessageBarBody>
        </MessageBar>
      )}

      <fieldset className={styles.section}>
        <legend className={styles.legend}>
          <Subtitle2 as="h2">{t.settings.staleTitle}</Subtitle2>
        </legend>
        <Field label={t.settings.staleDays} hint={t.settings.staleDaysHint} validationMessage={shown(ID.staleDays) ? (messages.staleDays ?? undefined) : undefined}>
          <Input
            id={ID.staleDays}
            className={styles.number}
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            value={draft.staleDays}
            readOnly={readOnly}
            onBlur={touch(ID.staleDays)}
            onChange={(_, d) => set({ staleDays: d.value })}
          />
        </Field>
        <Text as="p" aria-live="polite">
          {t.settings.staleExplain(staleDays)}
        </Text>
        <Text as="p" className={styles.explain}>
          {t.settings.neverNote}
        </Text>
        <Switch
          label={t.settings.suppress}
          checked={draft.upcomingMeetingSuppressesStale}
          disabled={readOnly}
          aria-describedby="settings-suppress-explain"
          onChange={(_, d) => set({ upcomingMeetingSuppressesStale: d.checked })}
        />
        <Text as="p" id="settings-suppress-explain" className={styles.explain}>
          {draft.upcomingMeetingSuppressesStale ? t.settings.suppressOn : t.settings.suppressOff}
        </Text>
        <Text as="p" className={styles.explain}>
          {t.settings.staleApplies}
        </Text>
      </fieldset>

      <fieldset className={styles.section} aria-describedby="settings-weights-sum">
        <legend className={styles.legend}>
          <Subtitle2 as="h2">{t.settings.weightsTitle}</Subtitle2>
        </legend>
        <Text as="p" className={styles.explain}>
          {t.settings.weightsExplain}
        </Text>
        <div className={styles.weights}>
          {WEIGHT_KEYS.map((k) => (
            <Field key={k} label={t.settings.weightLabels[k]} hint={t.settings.weightHints[k]} validationMessage={shown(ID.weight(k)) ? messages.weight(k) : undefined}>
              <Input
                id={ID.weight(k)}
                inputMode="decimal"
                contentAfter="%"
                value={draft.weights[k]}
                readOnly={readOnly}
                onBlur={touch(ID.weight(k))}
                aria-invalid={messages.weight(k) !== undefined || sumMessage !== null || undefined}
                onChange={(_, d) => set({ weights: { ...draft.weights, [k]: d.value } })}
              />
            </Field>
          ))}
        </div>
        <Text id="settings-weights-sum" role="status" aria-live="polite" className={mergeClasses(styles.sum, !weightsValid && styles.sumWrong)}>
          {sum === null ? t.settings.weightsSumUnknown : weightsValid ? t.settings.weightsSumOk : sumMessage}
        </Text>
        {!readOnly && (
          <div className={styles.actions}>
            <Button
              disabled={WEIGHT_KEYS.every((k) => parsePercent(draft.weights[k]) === Math.round(DEFAULT_WEIGHTS[k] * 10_000) / 100)}
              onClick={() => set({ weights: draftFrom({ ...rules, weights: DEFAULT_WEIGHTS }).weights })}
            >
              {t.settings.resetWeights}
            </Button>
          </div>
        )}
      </fieldset>

      {(
        [
          { key: 'extraInternalDomains', id: ID.domains, problems: messages.domains, title: t.settings.domainsTitle, explain: t.settings.domainsExplain, label: t.settings.domainsLabel, placeholder: t.settings.domainsPlaceholder },
          { key: 'exclusions', id: ID.exclusions, problems: messages.exclusions, title: t.settings.exclusionsTitle, explain: t.settings.exclusionsExplain, label: t.settings.exclusionsLabel, placeholder: t.settings.exclusionsPlaceholder },
        ] as const
      ).map((list) => (
        <fieldset key={list.key} className={styles.section}>
          <legend className={styles.legend}>
            <Subtitle2 as="h2">{list.title}</Subtitle2>
          </legend>
          <Text as="p" className={styles.explain}>
            {list.explain}
          </Text>
          <Field
            label={list.label}
            hint={listHint(draft[list.key])}
            validationMessage={shown(list.id) && list.problems.length > 0 ? <LineMessages lines={list.problems} className={styles.problems} /> : undefined}
          >
            <Textarea
              id={list.id}
              resize="vertical"
              rows={4}
              value={draft[list.key]}
              placeholder={list.placeholder}
              readOnly={readOnly}
              onBlur={touch(list.id)}
              onChange={(_, d) => set({ [list.key]: d.value })}
            />
          </Field>
        </fieldset>
      ))}

      <fieldset className={styles.section}>
        <legend className={styles.legend}>
          <Subtitle2 as="h2">{t.settings.privacyTitle}</Subtitle2>
        </legend>
        <Text as="p" className={styles.explain}>
          {t.settings.privacyExplain}
        </Text>
        <Field label={t.settings.minimumColleagues} validationMessage={shown(ID.minimumColleagues) ? (messages.minimumColleagues ?? undefined) : undefined}>
          <Input
            id={ID.minimumColleagues}
            className={styles.number}
            type="number"
            inputMode="numeric"
            min={1}
            max={100}
            value={draft.minimumColleagues}
            readOnly={readOnly}
            onBlur={touch(ID.minimumColleagues)}
            onChange={(_, d) => set({ minimumColleagues: d.value })}
          />
        </Field>
      </fieldset>

      <MessageBar intent="info">
        <MessageBarBody>
          <MessageBarTitle>{t.settings.nextRunTitle}</MessageBarTitle>
          {t.settings.staleApplies} {t.settings.nextRun}
        </MessageBarBody>
        {!readOnly && (
          <MessageBarActions>
            <Link href={paths.setup()}>{t.settings.runNow}</Link>
          </MessageBarActions>
        )}
      </MessageBar>

      {submitted && summary.length > 0 && (
        <div ref={summaryRef} tabIndex={-1} role="alert" aria-label={t.settings.fixBeforeSaving(summary.length)}>
          <MessageBar intent="error">
            <MessageBarBody>
              <MessageBarTitle>{t.settings.fixBeforeSaving(summary.length)}</MessageBarTitle>
              <ul className={styles.problems}>
                {summary.map((p, i) => (
                  <li key={i}>
                    <Link as="button" type="button" onClick={() => document.getElementById(p.id)?.focus()}>
                      {p.text}
                    </Link>
                  </li>
                ))}
              </ul>
            </MessageBarBody>
          </MessageBar>
        </div>
      )}
      {conflict ? (
        <MessageBar intent="warning" role="alert">
          <MessageBarBody>
            <MessageBarTitle>{t.settings.conflictTitle}</MessageBarTitle>
            {t.settings.conflict} {error.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={onReload}>{t.settings.reload}</Button>
          </MessageBarActions>
        </MessageBar>
      ) : error !== null ? (
        <ErrorState error={error} />
      ) : null}
      {justSaved && !dirty && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{t.settings.saved(version)}</MessageBarBody>
          <MessageBarActions>
            <Link href={paths.setup()}>{t.settings.runNow}</Link>
          </MessageBarActions>
        </MessageBar>
      )}

      {!readOnly && (
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={!dirty || saving}>
            {saving ? t.common.saving : t.settings.save}
          </Button>
          <Button
            disabled={!dirty || saving}
            onClick={() => {
              setDraft(draftFrom(rules));
              setSubmitted(false);
              setTouched({});
              setError(null);
            }}
          >
            {t.settings.discard}
          </Button>
          {dirty && <Text role="status">{t.settings.unsaved}</Text>}
        </div>
      )}
    </form>
  );
}

/** Several problems under one field, one per line of the list they name. */
function LineMessages({ lines, className }: { lines: string[]; className: string }) {
  if (lines.length === 1) return <>{lines[0]}</>;
  return (
    <ul className={className}>
      {lines.map((line, i) => (
        <li key={i}>{line}</li>
      ))}
    </ul>
  );
}
