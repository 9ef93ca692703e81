# One image for every mljudge process; docker-compose.yml picks the command. Production runs the
# compiled bundles in dist/ (no TypeScript at run time). GPU workers build with
# --build-arg ONNXRUNTIME_NODE_INSTALL=cuda12 (CUDA 12 + cuDNN 9 on the host).

# Build: install everything, type-free bundles of every entry point (scripts/build.mjs), the web app,
# then drop the dev tools.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY apps ./apps
COPY packages ./packages
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Run: Node, the production packages and the built files. Python with numpy and gymnasium
# (Box2D for LunarLander) and bubblewrap are for workers that run TAs' scoring programs.
FROM node:22-bookworm-slim
ARG ONNXRUNTIME_NODE_INSTALL=skip
ENV NODE_ENV=production ONNXRUNTIME_NODE_INSTALL=${ONNXRUNTIME_NODE_INSTALL}
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl bubblewrap python3 python3-numpy python3-pip swig build-essential \
  && pip3 install --break-system-packages --no-cache-dir 'gymnasium[box2d]==1.0.0' \
  && apt-get purge -y swig build-essential && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/web/dist ./apps/web/dist
COPY --from=build /app/apps/cli/dist ./apps/cli/dist
# onnxruntime-node's installer fetches the CUDA provider libraries: only for the GPU image.
RUN if [ "$ONNXRUNTIME_NODE_INSTALL" != "skip" ]; then node node_modules/onnxruntime-node/script/install; fi
USER node
EXPOSE 3000 3001
CMD ["node", "dist/api/server.js"]
