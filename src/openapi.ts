import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The panel's OpenAPI document: served at /docs-json and the source of the typed client in packages/client. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('wgfleet panel API')
      .setDescription('Desired state of WireGuard nodes and peers, drift scans, reconciliation and webhooks.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}
