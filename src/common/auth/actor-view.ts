import { ApiProperty } from '@nestjs/swagger';
import { ACTOR_KINDS, ACTOR_VIAS, type ActorKind, type ActorRef, type ActorVia } from '@wgfleet/protocol';

/** Who did something (docs/API.md, Actors), as events, reconcile jobs and webhooks name them. */
export class ActorView implements ActorRef {
  @ApiProperty({
    enum: ACTOR_KINDS,
    enumName: 'ActorKind',
    description: 'system: one of the panel components',
  })
  kind!: ActorKind;

  @ApiProperty({ description: "The user's or token's id, or the system component's name" })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({
    enum: ACTOR_VIAS,
    enumName: 'ActorVia',
    description: 'The client, as its X-Wgfleet-Client says',
  })
  via!: ActorVia;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The request's X-Request-Id; null for the system",
  })
  request_id!: string | null;
}
