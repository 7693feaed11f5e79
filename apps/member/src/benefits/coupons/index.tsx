import { Text, View } from '@tarojs/components';
import { Tag } from '@nutui/nutui-react-taro';
import { api } from '../../lib/request';
import { useLoad } from '../../lib/use-load';
import { money } from '../../lib/money';
import { locale, t } from '../../lib/i18n';
import { AsyncView } from '../../components/async-view';
import { when } from '../../components/ledger-list';

function value(c: { kind: string; amountOffFen: number | null; discountBps: number | null; exchangePriceFen: number | null }): string {
  if (c.amountOffFen) return money(c.amountOffFen);
  // discountBps is the rate paid: 8000 = 8折 (80 % of the price).
  if (c.discountBps) return t('coupon.rate', { r: locale() === 'en' ? c.discountBps / 100 : c.discountBps / 1000 });
  if (c.exchangePriceFen !== null && c.exchangePriceFen !== undefined) return money(c.exchangePriceFen);
  return c.kind;
}

export default function Coupons() {
  const [state, retry] = useLoad(() => api('GET', '/api/me/coupons', { query: { pageSize: 50 } as never }));
  return (
    <View className="page">
      <AsyncView state={state} retry={retry} isEmpty={(d) => d.items.length === 0}>
        {(d) => (
          <View>
            {d.items.map((c) => (
              <View className="card" key={c.id} data-testid="coupon">
                <View className="row">
                  <Text className="title">{c.name}</Text>
                  <Text className="big">{value(c as never)}</Text>
                </View>
                <View className="row">
                  <Text className="muted">{c.thresholdFen ? t('coupon.threshold', { t: money(c.thresholdFen) }) : t('coupon.noThreshold')}</Text>
                  <Tag type={c.status === 'unused' ? 'primary' : 'default'}>{t(`status.${c.status}` as never)}</Tag>
                </View>
                <Text className="muted">{c.validUntil ? t('validUntil', { d: when(c.validUntil) }) : t('noExpiry')}</Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
