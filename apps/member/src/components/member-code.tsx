import { useEffect, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import qrcode from 'qrcode-generator';
import { api } from '../lib/request';
import { t } from '../lib/i18n';

const REFRESH_SECONDS = 60;

export function qrDataUrl(text: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return qr.createDataURL(6, 2);
}

/**
 * The dynamic member code: fetched now and every 60 s (or sooner when the API says so), with a
 * countdown; in WeChat the screen is brightened while it is shown so counter scanners read it.
 */
export function MemberCode() {
  const [code, setCode] = useState<string | null>(null);
  const [left, setLeft] = useState(REFRESH_SECONDS);
  const [failed, setFailed] = useState(false);
  const due = useRef(0);

  const load = () => {
    api('GET', '/api/me/member-code', { toast: false }).then(
      (r) => {
        setCode(r.code);
        setFailed(false);
        due.current = Date.now() + Math.min(REFRESH_SECONDS, r.refreshInSeconds || REFRESH_SECONDS) * 1000;
      },
      () => {
        setFailed(true);
        due.current = Date.now() + 10_000;
      },
    );
  };

  useEffect(() => {
    load();
    const timer = setInterval(() => {
      const s = Math.max(0, Math.ceil((due.current - Date.now()) / 1000));
      setLeft(s);
      if (s === 0) load();
    }, 1000);
    let previous: number | null = null;
    if (process.env.TARO_ENV === 'weapp') {
      Taro.getScreenBrightness().then((r) => {
        previous = r.value;
        return Taro.setScreenBrightness({ value: 1 });
      }).catch(() => undefined);
    }
    return () => {
      clearInterval(timer);
      if (previous !== null) void Taro.setScreenBrightness({ value: previous }).catch(() => undefined);
    };
  }, []);

  return (
    <View className="card code-box" data-testid="member-code">
      <Text className="title">{t('code.title')}</Text>
      <Text className="muted">{t('code.hint')}</Text>
      {code ? <Image className="qr" src={qrDataUrl(code)} data-code={code} /> : <View className="qr" />}
      {code ? <Text className="muted" data-testid="member-code-text">{code}</Text> : null}
      <View className="row">
        <Text className="muted" data-testid="countdown">{failed ? t('error.generic') : t('code.refreshIn', { s: left })}</Text>
        <Button size="small" fill="none" onClick={load}>{t('code.refresh')}</Button>
      </View>
    </View>
  );
}
