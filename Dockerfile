# One image for every mljudge process; docker-compose.yml picks the command.
# GPU workers build with --build-arg ONNXRUNTIME_NODE_INSTALL=cuda12 (CUDA 12 + cuDNN 9 on the host).
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
USER node
EXPOSE 3000 3001
CMD ["node", "--import", "tsx", "apps/api/src/server.ts"]
