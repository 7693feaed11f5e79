import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button, Cell } from '@nutui/nutui-react-taro';
import { api } from '../../lib/request';
import { useLoad } from '../../lib/use-load';
import { getSession, setSession } from '../../lib/session';
import { t } from '../../lib/i18n';
import { AsyncView } from '../../components/async-view';

const go = (url: string) => () => void Taro.navigateTo({ url });

export default function Mine() {
  const [state, retry] = useLoad(async () => {
    if (!getSession()) {
      void Taro.navigateTo({ url: '/account/login/index' });
      throw new Error(t('login.link'));
    }
    return api('GET', '/api/me');
  });
  const logout = async () => {
    await api('POST', '/api/auth/logout', { toast: false }).catch(() => undefined);
    setSession(null);
    void Taro.showToast({ title: t('login.signedOut'), icon: 'none' });
    void Taro.navigateTo({ url: '/account/login/index' });
  };
  return (
    <View className="page">
      <AsyncView state={state} retry={retry}>
        {(me) => (
          <View>
            <Cell.Group>
              <Cell title={me.name ?? me.memberNo} description={me.phone ?? ''} />
              <Cell title={t('wallet.title')} onClick={go('/wallet/balance/index')} />
              <Cell title={t('points.title')} onClick={go('/wallet/points/index')} />
              <Cell title={t('coupons.title')} onClick={go('/benefits/coupons/index')} />
              <Cell title={t('countCards.title')} onClick={go('/benefits/count-cards/index')} />
              <Cell title={t('mall.mine')} onClick={go('/mall/redemptions/index')} />
            </Cell.Group>
            <Button block type="default" onClick={() => void logout()}>
              {t('logout')}
            </Button>
          </View>
        )}
      </AsyncView>
    </View>
  );
}
