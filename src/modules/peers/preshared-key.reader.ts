import { Injectable } from '@nestjs/common';
import { SecretBox } from '../../common/crypto/secret-box';
import { sealContext } from '../../common/crypto/secret-box.provider';
import type { PeerEntity } from './peer.entity';

/**
 * Opens a peer's sealed preshared key, only when it is about to be handed out (a client config, a request to
 * the node); what applies a plan reads keys here instead of asking the peers service.
 */
@Injectable()
export class PresharedKeyReader {
  constructor(private readonly box: SecretBox) {}

  presharedKeyOf(peer: Pick<PeerEntity, 'id' | 'presharedKeySealed'>): string | null {
    return peer.presharedKeySealed
      ? this.box.open(peer.presharedKeySealed, sealContext.presharedKey(peer.id))
      : null;
  }
}
