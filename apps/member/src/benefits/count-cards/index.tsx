import { Text, View } from '@tarojs/components';
import { Progress } from '@nutui/nutui-react-taro';
import { api } from '../../lib/request';
import { useLoad } from '../../lib/use-load';
import { t } from '../../lib/i18n';
import { AsyncView } from '../../components/async-view';
import { when } from '../../components/ledger-list';

export default function CountCards() {
  const [state, retry] = useLoad(() => api('GET', '/api/me/count-cards'));
  return (
    <View className="page">
      <AsyncView state={state} retry={retry} isEmpty={(d) => d.length === 0}>
        {(d) => (
          <View>
            {d.map((c) => (
              <View className="card" key={c.id} data-testid="count-card">
                <View className="row">
                  <Text className="title">{c.name}</Text>
                  <Text>{c.unitsTotal ? t('countCards.left', { n: c.unitsLeft ?? 0, unit: t(`unit.${c.unit}`) }) : ''}</Text>
                </View>
                {c.unitsTotal ? <Progress percent={Math.round(((c.unitsLeft ?? 0) / c.unitsTotal) * 100)} /> : null}
                <Text className="muted">{c.validUntil ? t('validUntil', { d: when(c.validUntil) }) : t('noExpiry')}</Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
