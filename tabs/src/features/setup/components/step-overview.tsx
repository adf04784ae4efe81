import { Text, Subtitle2 } from '@fluentui/react-components';
import { useI18n } from '../../../i18n/i18n';

export function StepOverview() {
  const { t } = useI18n();
  return (
    <>
      <Text as="p">{t.setup.overview.body}</Text>
      <Subtitle2 as="h3" block>{t.setup.overview.prerequisites}</Subtitle2>
      <ul>
        {t.setup.overview.items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <Text as="p">{t.setup.overview.runs}</Text>
    </>
  );
}
