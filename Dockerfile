# The wgfleet panel. Build from the repository root:  docker build -t wgfleet-panel .
# The node agent runs on each WireGuard server itself, under systemd (agent/README.md), not in a container.
# Configuration: docs/CONFIGURATION.md. Node 24 is the active LTS; the code still runs on Node 20.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/client/package.json packages/client/
COPY agent/package.json agent/
COPY web/package.json web/
COPY cli/package.json cli/
# No install scripts: nothing the panel needs builds at install time, and none of them runs in the image build.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY packages/protocol packages/protocol
COPY packages/client packages/client
COPY web web
COPY src src
# The web console is built into web/dist and served by the panel at /.
RUN npm run build -w @wgfleet/protocol \
  && npm run build -w @wgfleet/client \
  && npm run build -w @wgfleet/web \
  && npx nest build \
  && npm prune --omit=dev --no-audit --no-fund --ignore-scripts

# The runtime image holds production dependencies only: no compiler, CLI, test or lint tool.
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
# node_modules/@wgfleet/protocol links to the workspace package.
COPY --from=build /app/packages/protocol/package.json packages/protocol/
COPY --from=build /app/packages/protocol/dist packages/protocol/dist
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
COPY bin bin
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrates the database (under an advisory lock), then serves.
CMD ["bin/wgfleet-panel"]
