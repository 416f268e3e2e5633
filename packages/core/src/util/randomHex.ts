/** `bytes` random bytes from the platform's CSPRNG (browsers, Node ≥ 20, Deno, Bun), as lowercase hex. */
export function randomHex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  let out = '';
  for (const x of b) out += x.toString(16).padStart(2, '0');
  return out;
}
