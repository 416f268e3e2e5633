import type { ReactNode } from 'react';

export const metadata = { title: 'coplay guest (Next.js)' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ font: '16px system-ui, sans-serif', margin: '2rem' }}>{children}</body>
    </html>
  );
}
