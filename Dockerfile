# Parley for production: the app alone; Postgres comes from docker-compose.yml or DATABASE_URL.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    PARLEY_DATA_DIR=/data \
    PORT=3000

WORKDIR /app
COPY package.json package-lock.json ./
# tsx runs the TypeScript sources directly; dev dependencies build the dashboard.
RUN npm ci
COPY . .
RUN npm run build

VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["npm", "start"]
