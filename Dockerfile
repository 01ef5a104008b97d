# The wgfleet panel. Build from the repository root:  docker build -t wgfleet-panel .
# (The node agent has its own image: agent/Dockerfile.) Configuration: docs/CONFIGURATION.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY packages/protocol/package.json packages/protocol/
COPY agent/package.json agent/
COPY cli/package.json cli/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY packages/protocol packages/protocol
COPY src src
RUN npm run build -w @wgfleet/protocol \
  && npx nest build \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
# node_modules/@wgfleet/protocol links to the workspace package.
COPY --from=build /app/packages/protocol/package.json packages/protocol/
COPY --from=build /app/packages/protocol/dist packages/protocol/dist
COPY --from=build /app/dist dist
COPY bin bin
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrates the database (under an advisory lock), then serves.
CMD ["bin/wgfleet-panel"]
