/** The `settings` card: what this conversation gets from Rapport and when, with inputs and Save. */
import type { IChoice } from '@microsoft/teams.cards';
import type { AdaptiveCardJson } from '../conversation';
import type { Lang } from '../i18n';
import { card, execute, text, title, type Element } from './card-kit';

export const SETTINGS_SAVE_VERB = 'rapport.settings.save';

/** Offered in the time zone list besides the conversation's own. */
export const COMMON_TIME_ZONES = [
  'UTC',
  'Asia/Jakarta',
  'Asia/Makassar',
  'Asia/Jayapura',
  'Asia/Singapore',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
] as const;

/** The values the card shows; the Save button sends them back as strings. */
export interface SettingsView {
  weeklySummary: boolean;
  /** Null when this conversation cannot get alerts (a personal chat). */
  staleAlerts: boolean | null;
  summaryDay: number | null;
  summaryHour: number;
  timeZone: string;
  staleDays: number | null;
  /** The configured rule's threshold, shown when this conversation uses it. */
  defaultStaleDays: number;
}

export interface SettingsNote {
  kind: 'saved' | 'error';
  text: string;
}

function choices(values: Array<[string, string]>): IChoice[] {
  return values.map(([value, label]) => ({ title: label, value }));
}

export function settingsCard(view: SettingsView, lang: Lang, note: SettingsNote | null = null): AdaptiveCardJson {
  const { m, f } = lang;
  const hour = new Intl.DateTimeFormat(lang.locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
  const zones = [...new Set([view.timeZone, ...COMMON_TIME_ZONES])];
  const body: Element[] = [title(m.settings.title), text(m.settings.intro, { subtle: true })];
  if (note) body.push(text(note.text, { color: note.kind === 'saved' ? 'Good' : 'Attention', id: 'settingsNote' }));
  body.push({ type: 'Input.Toggle', id: 'weeklySummary', title: m.settings.weeklySummary, label: m.settings.weeklySummary, value: String(view.weeklySummary), valueOn: 'true', valueOff: 'false' });
  if (view.staleAlerts !== null) {
    body.push({ type: 'Input.Toggle', id: 'staleAlerts', title: m.settings.staleAlerts, label: m.settings.staleAlerts, value: String(view.staleAlerts), valueOn: 'true', valueOff: 'false' });
  }
  body.push(
    {
      type: 'Input.ChoiceSet',
      id: 'summaryDay',
      label: m.settings.day,
      style: 'compact',
      value: view.summaryDay === null ? 'after' : String(view.summaryDay),
      choices: choices([['after', m.settings.dayAfterRun], ...[1, 2, 3, 4, 5, 6, 0].map((d): [string, string] => [String(d), f.weekday(d)])]),
    },
    {
      type: 'Input.ChoiceSet',
      id: 'summaryHour',
      label: m.settings.hour,
      style: 'compact',
      value: String(view.summaryHour),
      choices: choices(Array.from({ length: 24 }, (_, h): [string, string] => [String(h), hour.format(new Date(Date.UTC(2023, 0, 1, h)))])),
    },
    { type: 'Input.ChoiceSet', id: 'timeZone', label: m.settings.timeZone, style: 'compact', value: view.timeZone, choices: choices(zones.map((z): [string, string] => [z, z.replace(/_/g, ' ')])) },
    {
      type: 'Input.Number',
      id: 'staleDays',
      label: m.settings.staleDays,
      min: 1,
      max: 365,
      placeholder: m.settings.staleDaysPlaceholder(f.days(view.defaultStaleDays)),
      errorMessage: m.settings.staleDaysError,
      ...(view.staleDays !== null && { value: view.staleDays }),
    },
  );
  return card(body, [execute(m.settings.save, SETTINGS_SAVE_VERB, {})]);
}
