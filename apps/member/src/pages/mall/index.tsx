import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button, Dialog, Tabs } from '@nutui/nutui-react-taro';
import { api, newIdempotencyKey } from '../../lib/request';
import { useLoad } from '../../lib/use-load';
import { getSession } from '../../lib/session';
import { money } from '../../lib/money';
import { t } from '../../lib/i18n';
import { AsyncView } from '../../components/async-view';

async function loadMall() {
  if (!getSession()) {
    void Taro.navigateTo({ url: '/account/login/index' });
    throw new Error(t('login.link'));
  }
  const me = await api('GET', '/api/me');
  const [gifts, points] = await Promise.all([
    api('GET', '/api/me/mall/gifts', { query: { pageSize: 100, status: 'on_sale', storeId: me.homeStoreId ?? undefined } as never }),
    api('GET', '/api/me/points'),
  ]);
  return { storeId: me.homeStoreId, gifts: gifts.items, points: points.balance };
}

type Gift = Awaited<ReturnType<typeof loadMall>>['gifts'][number];

export default function Mall() {
  const [state, retry] = useLoad(loadMall);
  const [tab, setTab] = useState<string>('');
  const [asking, setAsking] = useState<Gift | null>(null);
  const [busy, setBusy] = useState(false);

  const exchange = async (gift: Gift, storeId: string) => {
    setBusy(true);
    try {
      const r = await api('POST', '/api/me/mall/redemptions', { body: { giftId: gift.id, storeId }, idempotencyKey: newIdempotencyKey() });
      void Taro.showToast({ title: t('mall.done'), icon: 'success' });
      void Taro.navigateTo({ url: `/mall/redemptions/index?highlight=${r.id}` });
    } catch {
      /* the request wrapper showed the reason */
    } finally {
      setBusy(false);
      setAsking(null);
    }
  };

  return (
    <View className="page">
      <AsyncView state={state} retry={retry} isEmpty={(d) => d.gifts.length === 0}>
        {(d) => {
          const categories = [...new Set(d.gifts.map((g) => g.category).filter((c): c is string => !!c))];
          const shown = d.gifts.filter((g) => !tab || g.category === tab);
          return (
            <View>
              <View className="card row">
                <Text>
                  {t('points')} <Text className="big" data-testid="mall-points">{d.points}</Text>
                </Text>
                <Button size="small" onClick={() => void Taro.navigateTo({ url: '/mall/redemptions/index' })}>
                  {t('mall.mine')}
                </Button>
              </View>
              {categories.length > 1 ? (
                <Tabs value={tab} onChange={(v) => setTab(String(v))}>
                  <Tabs.TabPane title="全部" value="" />
                  {categories.map((c) => (
                    <Tabs.TabPane key={c} title={c} value={c} />
                  ))}
                </Tabs>
              ) : null}
              {shown.map((g) => (
                <View className="card" key={g.id} data-testid="gift">
                  <View className="row">
                    <Text className="title">{g.name}</Text>
                    <Text className="title">
                      {t('mall.points', { n: g.pointsPrice })}
                      {g.cashFen ? ` + ${money(g.cashFen)}` : ''}
                    </Text>
                  </View>
                  {g.description ? <Text className="muted">{g.description}</Text> : null}
                  <View className="row">
                    <Text className="muted">{g.stock !== null ? t('mall.stock', { n: g.stock }) : ''}</Text>
                    <Button
                      type="primary"
                      size="small"
                      disabled={busy || g.stock === 0 || g.pointsPrice > d.points || !!g.cashFen || !d.storeId}
                      onClick={() => setAsking(g)}
                    >
                      {g.stock === 0 ? t('mall.soldOut') : t('mall.exchange')}
                    </Button>
                  </View>
                </View>
              ))}
              <Dialog
                visible={!!asking}
                title={t('mall.exchange')}
                content={asking ? t('mall.confirm', { n: asking.pointsPrice, name: asking.name }) : ''}
                onConfirm={() => {
                  if (asking && d.storeId) void exchange(asking, d.storeId);
                }}
                onCancel={() => setAsking(null)}
              />
            </View>
          );
        }}
      </AsyncView>
    </View>
  );
}
