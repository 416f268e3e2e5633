import { Guest } from './Guest';

// The broker URL comes from the server's environment at request time.
export const dynamic = 'force-dynamic';

export default function Page() {
  return (
    <main>
      <h1>coplay guest (Next.js)</h1>
      <Guest brokerUrl={process.env.COPLAY_BROKER_WS_URL ?? 'ws://127.0.0.1:18831/mqtt'} />
    </main>
  );
}
