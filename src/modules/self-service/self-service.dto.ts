import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';
import { PeerView } from '../peers';

export class CreateOwnPeerDto {
  @ApiProperty({ format: 'uuid', description: 'a node your self-service binding allows (GET /api/me/nodes)' })
  @IsUUID()
  node_id!: string;

  @ApiProperty({ example: 'ada-phone' })
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class OwnPeerList {
  @ApiProperty({ type: PeerView, isArray: true })
  items!: PeerView[];
}

/** A node a user may add devices on: no more than a device owner needs to pick one. */
export class SelfServiceNodeView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;
}

export class SelfServiceNodeList {
  @ApiProperty({ type: SelfServiceNodeView, isArray: true })
  items!: SelfServiceNodeView[];
}
