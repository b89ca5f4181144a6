# One image for the API and the worker (see docker-compose.yml).
#   default CMD: the API            node --import tsx api/server.ts
#   worker:      override with      node --import tsx temporal/run-worker.ts
# Not `npx tsx …`: npx does not pass SIGTERM on to the program, which then gets no chance to drain.
#
# Install scripts follow package.json `allowScripts`: `npm ci --ignore-scripts`, then `npm rebuild` runs
# the scripts of exactly the packages allowed there (the node:20 image's npm predates that field).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild $(node -p "Object.entries(require('./package.json').allowScripts).filter(([, ok]) => ok === true).map(([name]) => name).join(' ')")
COPY . .
# Workers load this pre-built bundle instead of bundling workflow code at every start.
RUN npm run build:workflows

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CRM_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild $(node -p "Object.entries(require('./package.json').allowScripts).filter(([, ok]) => ok === true).map(([name]) => name).join(' ')") \
 && npm cache clean --force
COPY . .
COPY --from=build /app/dist ./dist
# The code stays root-owned and read-only to the app; only the data directory is writable.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/server.ts"]
