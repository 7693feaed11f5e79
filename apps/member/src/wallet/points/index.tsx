import { View } from '@tarojs/components';
import { api } from '../../lib/request';
import { useLoad } from '../../lib/use-load';
import { reasonText } from '../../lib/reasons';
import { AsyncView } from '../../components/async-view';
import { LedgerList, when } from '../../components/ledger-list';

export default function PointsHistory() {
  const [state, retry] = useLoad(() => api('GET', '/api/me/points/entries', { query: { pageSize: 50 } as never }));
  return (
    <View className="page">
      <AsyncView state={state} retry={retry} isEmpty={(d) => d.items.length === 0}>
        {(d) => (
          <LedgerList
            lines={d.items.map((e) => ({
              id: e.id,
              title: reasonText(e.reason),
              subtitle: `${when(e.createdAt)} ${e.storeName ?? ''}`,
              amount: e.points > 0 ? `+${e.points}` : String(e.points),
              positive: e.points >= 0,
            }))}
          />
        )}
      </AsyncView>
    </View>
  );
}
