import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** The guest link for this room, as text to copy and as a QR code for a phone. */
export function ShareLink({ url }: { url: string }) {
  const [qr, setQr] = useState<string>();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(url, { margin: 1, width: 320, errorCorrectionLevel: 'M' }).then(
      (data) => live && setQr(data),
      () => live && setQr(undefined),
    );
    return () => {
      live = false;
    };
  }, [url]);
  const copy = () => {
    void navigator.clipboard?.writeText(url).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <div className="share">
      <div className="row">
        <input readOnly value={url} data-testid="share-link" onFocus={(e) => e.currentTarget.select()} />
        <button onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>
      </div>
      {qr ? <img src={qr} alt="QR code of the guest link" data-testid="share-qr" /> : null}
      <a href={url} target="_blank" rel="noreferrer" className="hint">
        Open the guest page in a new tab
      </a>
    </div>
  );
}
