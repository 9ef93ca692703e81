# One image for every mljudge process; docker-compose.yml picks the command.
# GPU workers build with --build-arg ONNXRUNTIME_NODE_INSTALL=cuda12 (CUDA 12 + cuDNN 9 on the host).

# The web app is built with the dev tools (Vite), then only its static files go into the image.
FROM node:20-bookworm-slim AS web
ENV ONNXRUNTIME_NODE_INSTALL=skip
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json prisma.config.ts ./
COPY prisma ./prisma
COPY apps ./apps
COPY packages ./packages
RUN npm ci --no-audit --no-fund --include=dev && npm run build:web

FROM node:20-bookworm-slim
ARG ONNXRUNTIME_NODE_INSTALL=skip
ENV ONNXRUNTIME_NODE_INSTALL=${ONNXRUNTIME_NODE_INSTALL} NODE_ENV=production
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json prisma.config.ts ./
COPY prisma ./prisma
COPY apps ./apps
COPY packages ./packages
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY --from=web /app/apps/web/dist ./apps/web/dist
USER node
EXPOSE 3000 3001
CMD ["node", "--import", "tsx", "apps/api/src/server.ts"]
