import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import { Button, Empty, Skeleton } from '@nutui/nutui-react-taro';
import type { LoadState } from '../lib/use-load';
import { t } from '../lib/i18n';

// NutUI's Empty draws its pictures from a CDN; a local mark keeps the states readable offline.

/** Every screen's three states: a skeleton while loading, an error with retry, an empty note. */
export function AsyncView<T>(props: { state: LoadState<T>; retry: () => void; isEmpty?: (data: T) => boolean; children: (data: T) => ReactNode }) {
  const { state } = props;
  if (state.status === 'loading') {
    return (
      <View className="card" data-testid="loading">
        <Skeleton rows={4} animated />
      </View>
    );
  }
  if (state.status === 'error') {
    return (
      <View className="card" data-testid="error">
        <Empty image={<View className="state-mark">!</View>} title={t('error.generic')} description={state.message} />
        <View className="code-box">
          <Button type="primary" size="small" onClick={props.retry}>
            {t('retry')}
          </Button>
        </View>
      </View>
    );
  }
  if (props.isEmpty?.(state.data)) {
    return (
      <View className="card" data-testid="empty">
        <Empty image={<View className="state-mark">-</View>} title={t('empty')} />
      </View>
    );
  }
  return <>{props.children(state.data)}</>;
}
