import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { api } from '../../lib/request';
import { useLoad } from '../../lib/use-load';
import { getSession } from '../../lib/session';
import { money } from '../../lib/money';
import { t } from '../../lib/i18n';
import { AsyncView } from '../../components/async-view';
import { MemberCode } from '../../components/member-code';

async function loadCard() {
  if (!getSession()) {
    void Taro.navigateTo({ url: '/account/login/index' });
    throw new Error(t('login.link'));
  }
  const [me, tier, wallet, points, coupons, countCards, cards] = await Promise.all([
    api('GET', '/api/me'),
    api('GET', '/api/me/tier'),
    api('GET', '/api/me/wallet'),
    api('GET', '/api/me/points'),
    api('GET', '/api/me/coupons', { query: { status: 'unused', pageSize: 1 } as never }),
    api('GET', '/api/me/count-cards', { query: { status: 'active' } as never }),
    api('GET', '/api/me/cards'),
  ]);
  return { me, tier, wallet, points, coupons, countCards, cards };
}

const go = (url: string) => () => void Taro.navigateTo({ url });

export default function Home() {
  const [state, retry] = useLoad(loadCard);
  return (
    <View className="page">
      <AsyncView state={state} retry={retry}>
        {({ me, tier, wallet, points, coupons, countCards, cards }) => {
          const card = cards.find((c) => c.status === 'active');
          return (
            <View>
              <View className="card member-card" data-testid="member-card">
                <View className="row">
                  <Text className="title">{me.name ?? me.memberNo}</Text>
                  <Text data-testid="tier">{(tier.tier as { name?: string } | null)?.name ?? t('card.noTier')}</Text>
                </View>
                <Text className="muted" data-testid="card-no">
                  {t('card.no')} {card?.cardNo ?? me.memberNo}
                </Text>
                <View style={{ marginTop: '24px' }}>
                  <Text className="muted">{t('balance.total')}</Text>
                  <View className="big" data-testid="balance">{money(wallet.totalFen)}</View>
                  <Text className="muted">
                    {t('balance.principal')} {money(wallet.principalFen)} · {t('balance.bonus')} {money(wallet.bonusFen)}
                  </Text>
                </View>
              </View>
              <View className="card row">
                <View className="stat" onClick={go('/wallet/points/index')} data-testid="stat-points">
                  <View className="stat-value">{points.balance}</View>
                  <View className="stat-label">{t('points')}</View>
                </View>
                <View className="stat" onClick={go('/benefits/coupons/index')} data-testid="stat-coupons">
                  <View className="stat-value">{coupons.total}</View>
                  <View className="stat-label">{t('coupons')}</View>
                </View>
                <View className="stat" onClick={go('/benefits/count-cards/index')} data-testid="stat-count-cards">
                  <View className="stat-value">{countCards.length}</View>
                  <View className="stat-label">{t('countCards')}</View>
                </View>
                <View className="stat" onClick={go('/wallet/balance/index')} data-testid="stat-wallet">
                  <View className="stat-value">{money(wallet.totalFen)}</View>
                  <View className="stat-label">{t('wallet.title')}</View>
                </View>
              </View>
              <MemberCode />
            </View>
          );
        }}
      </AsyncView>
    </View>
  );
}
