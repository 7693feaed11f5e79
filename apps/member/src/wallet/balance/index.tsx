import { View } from '@tarojs/components';
import { api } from '../../lib/request';
import { useLoad } from '../../lib/use-load';
import { signedMoney, money } from '../../lib/money';
import { reasonText } from '../../lib/reasons';
import { AsyncView } from '../../components/async-view';
import { LedgerList, when } from '../../components/ledger-list';
import { t } from '../../lib/i18n';

export default function WalletHistory() {
  const [state, retry] = useLoad(() => api('GET', '/api/me/wallet/entries', { query: { pageSize: 50 } as never }));
  return (
    <View className="page">
      <AsyncView state={state} retry={retry} isEmpty={(d) => d.items.length === 0}>
        {(d) => (
          <LedgerList
            lines={d.items.map((e) => ({
              id: e.id,
              title: `${reasonText(e.reason)}${e.kind === 'wallet_bonus' ? ` · ${t('balance.bonus')}` : ''}`,
              subtitle: `${when(e.createdAt)} ${e.storeName ?? ''} · ${money(e.balanceAfterFen)}`,
              amount: signedMoney(e.amountFen),
              positive: e.amountFen >= 0,
            }))}
          />
        )}
      </AsyncView>
    </View>
  );
}
