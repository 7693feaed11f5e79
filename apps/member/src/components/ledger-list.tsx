import { Text, View } from '@tarojs/components';
import { Cell } from '@nutui/nutui-react-taro';

export interface LedgerLine { id: string; title: string; subtitle: string; amount: string; positive: boolean }

/** Wallet and points history share one look: reason and store on the left, signed amount right. */
export function LedgerList({ lines }: { lines: LedgerLine[] }) {
  return (
    <View className="card" style={{ padding: 0 }}>
      {lines.map((l) => (
        <Cell
          key={l.id}
          data-testid="ledger-line"
          title={l.title}
          description={l.subtitle}
          extra={<Text className={l.positive ? 'plus' : 'minus'}>{l.amount}</Text>}
        />
      ))}
    </View>
  );
}

export function when(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
