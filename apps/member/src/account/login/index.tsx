import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button, Empty } from '@nutui/nutui-react-taro';
import { t } from '../../lib/i18n';
import { canSignInHere, signIn } from './login';

export default function Login() {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const attempt = async () => {
    setBusy(true);
    try {
      if (await signIn()) {
        void Taro.switchTab({ url: '/pages/home/index' });
        return;
      }
      setFailed(true);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  // A member link signs in as soon as it is opened.
  useEffect(() => {
    if (!canSignInHere) void attempt();
  }, []);

  return (
    <View className="page" data-testid="login">
      <View className="card code-box">
        <Text className="title">{t('login.title')}</Text>
        {canSignInHere ? (
          <Button type="primary" loading={busy} onClick={() => void attempt()}>
            {t('login.wechat')}
          </Button>
        ) : failed ? (
          <Empty image={<View className="state-mark">?</View>} description={t('login.link')} />
        ) : (
          <Text className="muted">{t('loading')}</Text>
        )}
      </View>
    </View>
  );
}
