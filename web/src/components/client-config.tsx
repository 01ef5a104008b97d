import { useEffect, useState } from 'preact/hooks';
import { errorText, fetchBlob } from '../api';
import type { PeerView } from '../types';

/**
 * The client's wg-quick config as a download and a QR code; both hold its private key. `from` is where the
 * peer's config and QR routes live: `/api/peers` (write roles) or `/api/me/peers` (the user's own devices).
 */
export function ClientConfig({
  peer,
  from = '/api/peers',
  onClose,
}: {
  peer: Pick<PeerView, 'id' | 'name'>;
  from?: '/api/peers' | '/api/me/peers';
  onClose: () => void;
}) {
  const [qr, setQr] = useState<string>();
  const [config, setConfig] = useState<string>();
  const [configText, setConfigText] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const urls: string[] = [];
    Promise.all([fetchBlob(`${from}/${peer.id}/qr`), fetchBlob(`${from}/${peer.id}/config`)]).then(
      async ([qrBlob, configBlob]) => {
        const qrUrl = URL.createObjectURL(qrBlob);
        const configUrl = URL.createObjectURL(configBlob);
        urls.push(qrUrl, configUrl);
        setQr(qrUrl);
        setConfig(configUrl);
        setConfigText(await configBlob.text());
      },
      (caught: unknown) => setError(errorText(caught)),
    );
    return () => urls.forEach((url) => URL.revokeObjectURL(url));
  }, [peer.id, from]);

  return (
    <section class="card client-config" aria-labelledby="client-config-title" data-testid="client-config">
      <h2 id="client-config-title">Client config for {peer.name}</h2>
      {error && <p class="alert alert-error">{error}</p>}
      {qr ? (
        <div class="config-views">
          <img class="qr" src={qr} alt={`QR code of the WireGuard config for ${peer.name}`} />
          {configText !== undefined && (
            <details class="config-text">
              <summary>Show as text</summary>
              <pre aria-label={`WireGuard config for ${peer.name}`}>{configText}</pre>
            </details>
          )}
        </div>
      ) : (
        !error && <p>Loading…</p>
      )}
      <div class="actions">
        {config && (
          <a class="button primary" href={config} download={`${peer.name.replace(/[^\w.-]+/g, '_')}.conf`}>
            Download {peer.name}.conf
          </a>
        )}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p class="muted small">
        The config holds the client's private key: share it only with the client's owner.
      </p>
    </section>
  );
}
