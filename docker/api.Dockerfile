# ChainCard API image. Build from the repository root (docker/compose.yaml does this):
#   docker build -f docker/api.Dockerfile -t chaincard-api .
# The image needs DATABASE_URL and JWT_SECRET at run time (see apps/api/src/config/config.ts).

# ---- build: install the workspace, compile shared + api, deploy the api with production deps ----
FROM node:20-bookworm-slim AS build

# Keep in step with "packageManager" in the root package.json (a unit test checks it).
# Installed with npm because corepack's signature checks break on older Node images.
ARG PNPM_VERSION=10.34.9
RUN npm install -g pnpm@${PNPM_VERSION}

WORKDIR /repo

# Manifests first: the dependency layer is rebuilt only when one of them changes.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY apps/api/package.json apps/api/package.json
COPY packages/shared/package.json packages/shared/package.json
RUN pnpm install --frozen-lockfile

COPY tsconfig.base.json ./
COPY packages/shared packages/shared
COPY apps/api apps/api
RUN pnpm --filter "@chaincard/api..." run build

# pnpm 10 only deploys injected workspace packages unless --legacy is given; the legacy deploy copies
# @chaincard/shared (with the dist/ built above, its package.json main) into /out/node_modules.
RUN pnpm deploy --legacy --filter @chaincard/api --prod /out \
 && test -f /out/dist/main.js \
 && test -f /out/node_modules/@chaincard/shared/dist/index.js

# ---- runtime: only the deployed api, run as the image's unprivileged "node" user ----
FROM node:20-bookworm-slim AS runtime

ENV NODE_ENV=production
WORKDIR /app

# Code stays owned by root (read-only for the server); only .data, where an API without
# DATABASE_URL would keep its embedded database and where backups go (BACKUP_DIR), is writable.
COPY --from=build /out /app
RUN mkdir -p /app/.data/backups && chown -R node:node /app/.data

USER node
EXPOSE 3000
CMD ["node", "dist/main.js"]
