# Aizalo application image: gateway + workers + admin web (ROLE=all|gateway|worker).
# The app runs its TypeScript sources through tsx, so there is no build step.
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first, for layer caching. Plain `npm ci` (dev dependencies included),
# before NODE_ENV is set, so the tree matches what the test suite runs against.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
  && npm cache clean --force

COPY . .

RUN mkdir -p /data && chown node:node /data

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data

USER node
VOLUME ["/data"]
EXPOSE 3000

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "bin/aizalo.mjs", "start"]
