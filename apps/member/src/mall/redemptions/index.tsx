import { Text, View } from '@tarojs/components';
import { Tag } from '@nutui/nutui-react-taro';
import { api } from '../../lib/request';
import { useLoad } from '../../lib/use-load';
import { t } from '../../lib/i18n';
import { AsyncView } from '../../components/async-view';
import { when } from '../../components/ledger-list';

export default function Redemptions() {
  const [state, retry] = useLoad(() => api('GET', '/api/me/mall/redemptions', { query: { pageSize: 50 } as never }));
  return (
    <View className="page">
      <AsyncView state={state} retry={retry} isEmpty={(d) => d.items.length === 0}>
        {(d) => (
          <View>
            {d.items.map((r) => (
              <View className="card" key={r.id} data-testid="redemption">
                <View className="row">
                  <Text className="title">{r.giftName}</Text>
                  <Tag type={r.status === 'pending' ? 'primary' : 'default'}>{t(`redemption.${r.status}` as never)}</Tag>
                </View>
                {r.status === 'pending' ? (
                  <View className="row">
                    <Text className="muted">{t('mall.pickup')}</Text>
                    <Text className="pickup" data-testid="pickup-code">{r.pickupCode}</Text>
                  </View>
                ) : null}
                <Text className="muted">
                  {when(r.createdAt)} · {t('mall.points', { n: r.points })}
                </Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
